//! The parameters of a request in the legacy wire format, and how a handler gets its request
//! struct from them.
//!
//! `Params` is what the request carries: a GET's query string; a POST's JSON object or form
//! alike, merged over its query string (the body winning). `Wire<T>` is the extractor of the
//! handlers: it deserializes `T`, the endpoint's one request struct, from those parameters
//! (`wire`, which names the parameter in every error and reads a blank `Option` as not given;
//! the value types are `crate::lenient`'s), then turns it into the domain's input with
//! `T::try_into_domain`, which does every check. Unknown parameters are ignored.

mod extract;
pub mod wire;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use chrono::FixedOffset;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The parameters of a request, by name.
#[derive(Debug, Clone)]
pub struct Params {
    values: Map<String, Value>,
    /// A JSON body that is not an object (an array), for the endpoints that take one.
    root: Option<Value>,
    zone: FixedOffset,
}

impl Params {
    /// Parameters from already-split parts (used by the extractor and by tests).
    pub fn new(values: Map<String, Value>, root: Option<Value>, zone: FixedOffset) -> Self {
        Self { values, root, zone }
    }

    /// The raw value of a parameter.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// All parameters as a JSON object.
    pub fn as_object(&self) -> &Map<String, Value> {
        &self.values
    }

    /// A JSON body that was not an object.
    pub fn body_root(&self) -> Option<&Value> {
        self.root.as_ref()
    }

    /// The zone of wire times.
    pub fn zone(&self) -> FixedOffset {
        self.zone
    }

    /// The parameters as `T`.
    ///
    /// # Errors
    /// 400 naming the first parameter that cannot be read.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        wire::from_map(&self.values).map_err(|e| e.into_api(""))
    }
}

/// The request struct of an endpoint: deserialized from the parameters, then checked into
/// what the handler passes to the domain.
pub trait WireRequest: DeserializeOwned {
    /// The domain's input (a filter, a command, an id and a page...).
    type Domain;

    /// Every check of the request, in the zone of wire times.
    ///
    /// # Errors
    /// 400 naming the parameter (or with the spec's own text).
    fn try_into_domain(self, zone: FixedOffset) -> Result<Self::Domain, ApiError>;
}

/// The extractor of a handler: `Wire(input): Wire<SomeRequest>` is the request read from the
/// parameters and checked, ready for the domain.
#[derive(Debug)]
pub struct Wire<T: WireRequest>(pub T::Domain);

impl<T: WireRequest + 'static> FromRequest for Wire<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let params = Params::from_request(req, payload);
        Box::pin(async move {
            let params = params.await?;
            let request: T = params.read()?;
            request.try_into_domain(params.zone).map(Wire)
        })
    }
}
