//! The CSV of downLoad: a UTF-8 BOM, Chinese column titles, one row per customer, every cell
//! that a spreadsheet could read as a formula neutralised with a leading `'`.

use std::borrow::Cow;
use std::io;

use actix_web::web::Bytes;
use chrono::FixedOffset;
use scrm_domain::customer::CustomerRecord;
use scrm_domain::time;

/// The UTF-8 byte order mark, so Excel reads the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The column titles.
pub const HEADER: [&str; 21] = [
    "客戶ID",
    "客戶名",
    "手機號",
    "微信昵稱",
    "備注名",
    "客戶備注",
    "個性稱呼",
    "標簽",
    "微信號ID",
    "創建時間",
    "最後更新時間",
    "自定義字段1",
    "自定義字段2",
    "自定義字段3",
    "自定義字段4",
    "自定義字段5",
    "自定義字段6",
    "自定義字段7",
    "自定義字段8",
    "自定義字段9",
    "自定義字段10",
];

/// A cell a spreadsheet would evaluate (`= + - @`, tab, CR) gets a leading `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> io::Result<Vec<u8>> {
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

/// The BOM and the header row.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn header() -> io::Result<Vec<u8>> {
    let mut w = writer();
    w.write_record(HEADER).map_err(io::Error::other)?;
    let mut out = BOM.to_vec();
    out.extend(finish(w)?);
    Ok(out)
}

/// A stored text as a cell (none is empty).
fn text(v: Option<&String>) -> Cow<'_, str> {
    neutralise(v.map_or("", String::as_str))
}

/// Writes one customer's row, cell by cell (borrowed where the cell is the stored text).
fn write_row(
    w: &mut csv::Writer<Vec<u8>>,
    r: &CustomerRecord,
    zone: FixedOffset,
) -> csv::Result<()> {
    let wechat_nick = r.nick_name.as_ref().or(r.contact_nick_name.as_ref());
    w.write_field(r.id.to_string())?;
    for cell in [
        text(r.customer_name.as_ref()),
        text(r.customer_phone.as_ref()),
        text(wechat_nick),
        text(r.remark_name.as_ref()),
        text(r.remarks.as_ref()),
        text(r.customer_nick_name.as_ref()),
    ] {
        w.write_field(cell.as_ref())?;
    }
    w.write_field(neutralise(&r.tag_names.join(";")).as_ref())?;
    w.write_field(r.wechat_user_id.to_string())?;
    w.write_field(time::format(r.create_time, zone))?;
    w.write_field(time::format(r.last_update_time, zone))?;
    for x in &r.xfields {
        w.write_field(text(x.as_ref()).as_ref())?;
    }
    // Ends the record.
    w.write_record(None::<&[u8]>)
}

/// The rows of some customers, optionally after the BOM and header, as one chunk.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn chunk(
    records: &[CustomerRecord],
    zone: FixedOffset,
    with_header: bool,
) -> io::Result<Bytes> {
    let mut out = if with_header { header()? } else { Vec::new() };
    let mut w = writer();
    for r in records {
        write_row(&mut w, r, zone).map_err(io::Error::other)?;
    }
    out.extend(finish(w)?);
    Ok(Bytes::from(out))
}
