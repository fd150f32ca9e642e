//! Values the wire may give as JSON in more than one shape:
//! - `JsonText<T>`: `T` as its JSON value, or as text holding that JSON (a form field);
//! - `OneOrMany<T>`: one object or an array of them;
//! - `ArrayOr<A, P>`: a request whose JSON body may be an array (`A`) instead of an object of
//!   parameters (`P`).
//!
//! Each reads through the parameters' deserializer (`crate::params::wire`), so an error still
//! names the parameter down to the item and field (`nickNames[1].wechatContactId`); serde's
//! untagged enums would lose that name.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use utoipa::openapi::schema::{ArrayBuilder, OneOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::{one_of, string};
use crate::params::wire::{JSON_TEXT, ONE_OR_MANY};

/// `T` given as its JSON value or as a string holding that JSON: `nickNames={"wechatContactId":1}`
/// in a form reads as `{"nickNames": {"wechatContactId": 1}}` in a JSON body. Text that is not
/// JSON is `must be JSON`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonText<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for JsonText<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for Text<T> {
            type Value = JsonText<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or text holding its JSON")
            }

            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Self::Value, D::Error> {
                T::deserialize(d).map(JsonText)
            }
        }

        d.deserialize_newtype_struct(JSON_TEXT, Text(PhantomData))
    }
}

impl<T: PartialSchema> PartialSchema for JsonText<T> {
    fn schema() -> RefOr<Schema> {
        one_of(
            "As JSON, or as text holding that JSON (a form field).",
            vec![T::schema(), string("The JSON as text.").into()],
        )
    }
}

impl<T: ToSchema> ToSchema for JsonText<T> {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        T::schemas(schemas);
    }
}

/// One object or an array of them; one object reads as a list of one (its errors named
/// `[0]`). Anything else is `must be an object or an array of objects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Items<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or an array of objects")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany)
            }

            // Deserializers other than the wire's hand the value over as it is.
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|one| OneOrMany(vec![one]))
            }
        }

        d.deserialize_newtype_struct(ONE_OR_MANY, Items(PhantomData))
    }
}

/// A reference to the component schema of `T`.
fn reference<T: ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(T::name()))
}

/// An array of `T`s, each a reference to its component schema.
pub fn array_of<T: ToSchema>(description: &str) -> ArrayBuilder {
    ArrayBuilder::new()
        .items(reference::<T>())
        .description(Some(description))
}

/// Adds `T` and what it refers to to the components.
pub fn register<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

impl<T: ToSchema> PartialSchema for OneOrMany<T> {
    fn schema() -> RefOr<Schema> {
        one_of(
            "One object, or an array of them.",
            vec![
                reference::<T>(),
                ArrayBuilder::new().items(reference::<T>()).into(),
            ],
        )
    }
}

impl<T: ToSchema> ToSchema for OneOrMany<T> {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        register::<T>(schemas);
    }
}

/// A request whose JSON body may be an array instead of an object of parameters
/// (message/record, batchSaveNickName): `Array` is the body's array, `Params` the parameters
/// (the query string, a form, or a JSON object) of every other request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrayOr<A, P> {
    Array(A),
    Params(P),
}

impl<'de, A: Deserialize<'de>, P: Deserialize<'de>> Deserialize<'de> for ArrayOr<A, P> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Shape<A, P>(PhantomData<(A, P)>);

        impl<'de, A: Deserialize<'de>, P: Deserialize<'de>> Visitor<'de> for Shape<A, P> {
            type Value = ArrayOr<A, P>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array or an object")
            }

            fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
                A::deserialize(SeqAccessDeserializer::new(seq)).map(ArrayOr::Array)
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
                P::deserialize(MapAccessDeserializer::new(map)).map(ArrayOr::Params)
            }
        }

        d.deserialize_any(Shape(PhantomData))
    }
}

impl<A: ToSchema, P: ToSchema> ArrayOr<A, P> {
    /// The schema of a JSON body: `array` (the schema of `A`) or `P`, with its description and
    /// an example.
    pub fn schema_of(array: RefOr<Schema>, description: &str, example: Value) -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(array)
            .item(reference::<P>())
            .description(Some(description))
            .examples([example])
            .into()
    }

    /// Adds what the body refers to to the components.
    pub fn schemas_of(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        A::schemas(schemas);
        register::<P>(schemas);
    }
}
