//! `GET /wechat_api/customer/downLoad`: the customers matching the customerPage filters as a
//! CSV file. Without `limit`/`pageNo` every match is streamed batch by batch (memory stays
//! flat); with them only that page is exported.

use std::io;
use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::rt::task::JoinHandle;
use actix_web::web::Bytes;
use chrono::{FixedOffset, Utc};
use futures_util::stream;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use scrm_domain::customer::{
    CustomerFilter, CustomerRecord, CustomerService, EXPORT_BATCH, ExportCursor,
};
use scrm_domain::{Scope, ServiceError};

use super::customer_page::CustomerQuery;
use super::download_csv::chunk;
use crate::error::{ApiError, cause_chain};
use crate::params::Scoped;

/// The content type of the file.
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// RFC 5987 `attr-char`s stay as they are; everything else is percent-encoded.
const ATTR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `attachment` with an ASCII fallback name and the UTF-8 name `客戶資料-<stamp>.csv`.
pub fn content_disposition(zone: FixedOffset) -> String {
    let stamp = Utc::now().with_timezone(&zone).format("%Y%m%d%H%M%S");
    let utf8 = format!("客戶資料-{stamp}.csv");
    format!(
        "attachment; filename=\"customers-{stamp}.csv\"; filename*=UTF-8''{}",
        utf8_percent_encode(&utf8, ATTR)
    )
}

fn csv_response(zone: FixedOffset) -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::Ok();
    builder
        .insert_header((CONTENT_TYPE, CSV_TYPE))
        .insert_header((CONTENT_DISPOSITION, content_disposition(zone)));
    builder
}

/// What the export stream does next.
enum Next {
    /// Write this batch (already fetched).
    Write(Vec<CustomerRecord>),
    /// Write the batch being fetched.
    Pending(Prefetch),
    Done,
}

/// The fetch of the next batch, started before the current one is formatted and sent, so
/// the database and the CSV writer work at the same time. Dropping it (the client went away)
/// cancels the fetch.
struct Prefetch(JoinHandle<Result<Vec<CustomerRecord>, ServiceError>>);

impl Prefetch {
    fn new(
        fetch: impl Future<Output = Result<Vec<CustomerRecord>, ServiceError>> + 'static,
    ) -> Self {
        Self(actix_web::rt::spawn(fetch))
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.0.abort();
    }
}

struct Export {
    customers: Arc<CustomerService>,
    scope: Scope,
    filter: CustomerFilter,
    zone: FixedOffset,
    next: Next,
    first: bool,
}

impl Export {
    /// Starts fetching the batch after `after`.
    fn prefetch(&self, after: ExportCursor) -> Prefetch {
        let customers = Arc::clone(&self.customers);
        let (scope, filter) = (self.scope, self.filter.clone());
        Prefetch::new(async move { customers.export_batch(&scope, &filter, Some(after)).await })
    }
}

/// The next chunk of the stream and the state after it.
async fn step(mut ex: Export) -> Option<(io::Result<Bytes>, Export)> {
    let batch = match std::mem::replace(&mut ex.next, Next::Done) {
        Next::Done => return None,
        Next::Write(batch) => batch,
        Next::Pending(mut fetch) => {
            let cause = match (&mut fetch.0).await {
                Ok(Ok(batch)) => Ok(batch),
                Ok(Err(err)) => Err(cause_chain(&err)),
                Err(err) => Err(err.to_string()),
            };
            match cause {
                Ok(batch) => batch,
                Err(cause) => {
                    tracing::error!(%cause, "customer export aborted");
                    return Some((Err(io::Error::other("customer export aborted")), ex));
                }
            }
        }
    };
    if batch.len() >= EXPORT_BATCH as usize
        && let Some(last) = batch.last()
    {
        ex.next = Next::Pending(ex.prefetch(ExportCursor {
            create_time: last.create_time,
            id: last.id,
        }));
    }
    let bytes = chunk(&batch, ex.zone, ex.first);
    ex.first = false;
    if let Err(err) = &bytes {
        tracing::error!(cause = %err, "customer export could not write CSV");
        ex.next = Next::Done;
    }
    Some((bytes, ex))
}

/// The handler.
///
/// # Errors
/// 400 naming a bad parameter, 401, 503 when the store is down before the file starts. A
/// store failure mid-stream is logged and ends the download with an error.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/downLoad",
    tag = "customer",
    operation_id = "downLoad",
    summary = "Export customers (CSV)",
    description = "The customers matching the customerPage filters as a CSV file (UTF-8 with BOM, Chinese column titles, cells starting with `= + - @` prefixed with `'`). Without `limit`/`pageNo` every match, streamed; with them, that page. Bad parameters are answered in the envelope before any CSV is sent.",
    params(CustomerQuery),
    responses(
        (status = 200, description = "The CSV file",
            content_type = "text/csv; charset=utf-8",
            body = String,
            headers(("Content-Disposition" = String, description = "attachment; filename=\"customers-<stamp>.csv\"; filename*=UTF-8''客戶資料-<stamp>.csv")),
            example = "客戶ID,客戶名,手機號,微信昵稱,備注名,客戶備注,個性稱呼,標簽,微信號ID,創建時間,最後更新時間,自定義字段1\n3063060,售前-紅海,11111122222,售前-紅海,,售前-紅海哥,海哥,意向客戶,13806,2019-08-07 15:55:17,2019-08-07 15:55:17,\n"),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<CustomerQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, search) = scoped.into_parts()?;
    let zone = state.zone;
    let filter = search.filter;
    if search.paged {
        let found = state.customers.page(&scope, &filter, search.page).await?;
        let body = chunk(&found.items, zone, true).map_err(|e| ApiError::internal(&e))?;
        return Ok(csv_response(zone).body(body));
    }
    let first = state.customers.export_batch(&scope, &filter, None).await?;
    let export = Export {
        customers: Arc::clone(&state.customers),
        scope,
        filter,
        zone,
        next: Next::Write(first),
        first: true,
    };
    Ok(csv_response(zone).streaming(stream::unfold(export, step)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::Prefetch;

    /// Sets its flag when dropped, i.e. when the task holding it ends or is cancelled.
    struct Dropped(Arc<AtomicBool>);

    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[actix_web::test]
    async fn a_dropped_prefetch_cancels_its_fetch() {
        let dropped = Arc::new(AtomicBool::new(false));
        let guard = Dropped(Arc::clone(&dropped));
        let fetch = Prefetch::new(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
            Ok(Vec::new())
        });
        actix_web::rt::task::yield_now().await;
        assert!(!dropped.load(Ordering::SeqCst), "the fetch is running");
        // The client went away: the stream, and with it the prefetch, is dropped.
        drop(fetch);
        actix_web::rt::task::yield_now().await;
        assert!(dropped.load(Ordering::SeqCst), "the fetch was cancelled");
    }
}
