//! The parameters of a request in the legacy wire format, and how a handler gets its request
//! struct from them.
//!
//! `Params` is what the request carries: a GET's query string; a POST's JSON object or form
//! alike, merged over its query string (the body winning). `Wire<T>` is the extractor of the
//! handlers: it deserializes `T`, the endpoint's one request struct, from those parameters
//! (`wire`, which names the parameter in every error and reads a blank `Option` as not given;
//! the value types are `crate::lenient`'s), then turns it into the domain's input with
//! `T::try_into_domain`, which does every check. It never fails: it carries the input or its
//! error to the handler, which unwraps it once every extractor has run, so an unknown caller
//! gets `Caller`'s 401 before any 400 about the parameters. Unknown parameters are ignored. A JSON body
//! that is an array (message/record, batchSaveNickName) is kept beside the parameters for
//! the request types that read one (`lenient::ArrayOr`); any other JSON body that is not an
//! object holds no parameters. `Scoped<T>` is the extractors of a route behind a session in
//! one: the state, the caller and the `Wire<T>`.

mod extract;
pub mod wire;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::FixedOffset;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use scrm_domain::Scope;

/// The parameters of a request, by name.
#[derive(Debug, Clone)]
pub struct Params {
    values: Map<String, Value>,
    /// A JSON body that is an array, for the endpoints that take one.
    array: Option<Value>,
    zone: FixedOffset,
}

impl Params {
    /// Parameters from already-split parts: the values by name, a JSON body that is an
    /// array (anything else is dropped), the zone of wire times.
    pub fn new(values: Map<String, Value>, body: Option<Value>, zone: FixedOffset) -> Self {
        let array = body.filter(Value::is_array);
        Self {
            values,
            array,
            zone,
        }
    }

    /// The request struct `T` read from the parameters (or from the JSON array of the body,
    /// its errors named after `T::ARRAY_NAME`).
    ///
    /// # Errors
    /// 400 naming the first parameter that cannot be read.
    pub fn read<T: WireRequest>(&self) -> Result<T, ApiError> {
        let prefix = if self.array.is_some() {
            T::ARRAY_NAME
        } else {
            ""
        };
        wire::from_request(&self.values, self.array.as_ref()).map_err(|e| e.into_api(prefix))
    }
}

/// The request struct of an endpoint: deserialized from the parameters, then checked into
/// what the handler passes to the domain.
pub trait WireRequest: DeserializeOwned {
    /// The domain's input (a filter, a command, an id and a page...).
    type Domain;

    /// What the errors of a JSON array body are named after: batchSaveNickName's array is
    /// its `nickNames` (`nickNames[1].wechatContactId`), message/record's is nameless
    /// (`[1].msgId`). Only the request types that read an array (`lenient::ArrayOr`) see one.
    const ARRAY_NAME: &'static str = "";

    /// Every check of the request, in the zone of wire times.
    ///
    /// # Errors
    /// 400 naming the parameter (or with the spec's own text).
    fn try_into_domain(self, zone: FixedOffset) -> Result<Self::Domain, ApiError>;
}

/// The extractor of a handler: the request read from the parameters and checked into the
/// domain's input, or the error (400, 413, 415) why it could not be. The handler takes the
/// input in its body, `let input = wire.into_inner()?;`.
///
/// Its extraction never fails, and that is what makes `Caller`'s 401 win: actix-web polls a
/// handler's extractors together and answers the first error of any of them, so a `Wire`
/// that failed at once would answer 400 while `Caller` still waits for the session store
/// (an unknown token with a bad body would learn about the parameters). Every extractor has
/// completed before the handler body runs, so `into_inner` is reached only by a known caller
/// (or on a route without one: login keeps its 400s).
#[derive(Debug)]
pub struct Wire<T: WireRequest>(Result<T::Domain, ApiError>);

impl<T: WireRequest> Wire<T> {
    /// The domain's input of the request.
    ///
    /// # Errors
    /// 400 naming the first parameter that cannot be read or checked; 413 for a body over
    /// the route's limit; 415 for a body of another media type.
    pub fn into_inner(self) -> Result<T::Domain, ApiError> {
        self.0
    }
}

impl<T: WireRequest + 'static> FromRequest for Wire<T> {
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Infallible>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let params = Params::from_request(req, payload);
        Box::pin(async move {
            let checked = async {
                let params = params.await?;
                let request: T = params.read()?;
                request.try_into_domain(params.zone)
            };
            Ok(Wire(checked.await))
        })
    }
}

/// The extractors of a route behind a session in one: the state, the caller and the `Wire<T>`, extracted
/// together as a handler's own would be (so an unknown caller's 401 comes first).
pub struct Scoped<T: WireRequest> {
    state: web::Data<AppState>,
    caller: Caller,
    wire: Wire<T>,
}

impl<T: WireRequest> Scoped<T> {
    /// The state, the caller's scope and the domain's input of the request.
    ///
    /// # Errors
    /// Those of `Wire::into_inner`.
    pub fn into_parts(self) -> Result<(web::Data<AppState>, Scope, T::Domain), ApiError> {
        Ok((self.state, self.caller.scope, self.wire.into_inner()?))
    }
}

impl<T: WireRequest + 'static> FromRequest for Scoped<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let parts = <(web::Data<AppState>, Caller, Wire<T>)>::from_request(req, payload);
        Box::pin(async move {
            let (state, caller, wire) = parts.await?;
            Ok(Scoped {
                state,
                caller,
                wire,
            })
        })
    }
}
