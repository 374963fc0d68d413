//! Reading a batch's operations from a file: CSV as FoxPro's `COPY TO ... TYPE CSV`
//! writes it, or JSON Lines with the same names. Every row is checked before anything
//! is sent; a refused row is named by its number (1-based, header not counted).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::op::BatchOp;
use crate::error::{Error, Result};
use crate::model::{Action, LivestreamSettings, LivestreamUpdate, OwnerKind};

/// The two input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// A header row, then one operation per row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl InputFormat {
    /// By the file's extension: `.jsonl`, `.ndjson` and `.json` are JSON Lines, anything
    /// else CSV.
    pub fn for_path(path: &Path) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("jsonl" | "ndjson" | "json") => InputFormat::JsonLines,
            _ => InputFormat::Csv,
        }
    }

    /// By the text itself (standard input): JSON Lines when it starts with `{`.
    fn sniff(text: &str) -> Self {
        if text.trim_start().starts_with('{') {
            InputFormat::JsonLines
        } else {
            InputFormat::Csv
        }
    }
}

/// The text of an input file: UTF-8 with or without a byte order mark, else
/// Windows-1252; a trailing DOS end-of-file byte (0x1A) dropped.
pub fn decode(bytes: &[u8]) -> String {
    let mut bytes = bytes;
    while let [rest @ .., 0x1A] = bytes {
        bytes = rest;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Parses a whole input (`format` `None`: guessed from the text), looking up each
/// `stream_key_env` name with `env`. The first refused row fails the whole input.
pub fn parse(
    bytes: &[u8],
    format: Option<InputFormat>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<BatchOp>> {
    let text = decode(bytes);
    let ops = match format.unwrap_or_else(|| InputFormat::sniff(&text)) {
        InputFormat::Csv => parse_csv(&text, env)?,
        InputFormat::JsonLines => parse_json_lines(&text, env)?,
    };
    if ops.is_empty() {
        return Err(Error::input("input", "holds no operation"));
    }
    Ok(ops)
}

fn parse_csv(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<BatchOp>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let names: Vec<String> = reader
        .headers()
        .map_err(|e| Error::input("input", format!("has no readable CSV header row: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut ops = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = record
            .map_err(|e| Error::input("input", format!("row {row} is not valid CSV: {e}")))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let fields: HashMap<&str, &str> = names
            .iter()
            .map(String::as_str)
            .zip(record.iter())
            .collect();
        let get = |name: &str| {
            fields
                .get(name)
                .copied()
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        ops.push(op_from_fields(&get, env, ops.len() + 1)?);
    }
    Ok(ops)
}

fn parse_json_lines(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<BatchOp>> {
    let mut ops = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let row = ops.len() + 1;
        let value: Value = serde_json::from_str(line)
            .map_err(|e| Error::input("input", format!("row {row} is not a JSON object: {e}")))?;
        let Value::Object(map) = value else {
            return Err(Error::input(
                "input",
                format!("row {row} is not a JSON object"),
            ));
        };
        let get = |name: &str| map.get(name).and_then(json_text);
        ops.push(op_from_fields(&get, env, row)?);
    }
    Ok(ops)
}

/// A JSON value as the text a CSV field would hold (`null` and `""` are "not given").
pub fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// A boolean as FoxPro, SQL Server and people write it: `true|false|1|0|T|F|.T.|.F.|
/// yes|no|Y|N`, any letter case.
pub fn parse_bool(field: &'static str, text: &str) -> Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "t" | ".t." | "yes" | "y" => Ok(true),
        "false" | "0" | "f" | ".f." | "no" | "n" => Ok(false),
        _ => Err(Error::input(
            field,
            "must be true|false|1|0|T|F|.T.|.F.|yes|no",
        )),
    }
}

/// Adds the row number to an input error's reason.
fn at_row(row: usize) -> impl Fn(Error) -> Error {
    move |e| match e {
        Error::InvalidInput { field, reason } => Error::InvalidInput {
            field,
            reason: format!("{reason} (row {row})"),
        },
        other => other,
    }
}

/// One operation from its named fields (`get` gives a field's text, `None` when absent
/// or empty). Fields that do not apply to the row's op are ignored (the settings
/// columns apply to `start` only). `stream_key` is
/// read from the environment variable named by `stream_key_env` (through `env`), or,
/// when `get` offers one (Python's typed constructors), from `stream_key` itself.
pub fn op_from_fields(
    get: &dyn Fn(&str) -> Option<String>,
    env: &dyn Fn(&str) -> Option<String>,
    row: usize,
) -> Result<BatchOp> {
    let required = |name: &'static str| get(name).ok_or_else(|| Error::input(name, "is required"));
    (|| {
        let op = required("op")?.to_ascii_lowercase();
        let kind = match required("kind")?.to_ascii_lowercase().as_str() {
            "meeting" => OwnerKind::Meeting,
            "webinar" => OwnerKind::Webinar,
            _ => return Err(Error::input("kind", "must be meeting or webinar")),
        };
        let id = required("id")?;
        // FoxPro writes a numeric field with its decimals: 68423085.00.
        let id = match id.split_once('.') {
            Some((whole, zeros)) if zeros.bytes().all(|b| b == b'0') => whole.to_owned(),
            _ => id,
        };
        let owner = kind.parse(&id)?;
        let batch_op = match op.as_str() {
            // Zoom takes settings only while a stream is stopped, so they belong to a
            // start; a stop ignores the settings columns (FoxPro fills T/F in every row).
            "stop" => BatchOp::status(owner, Action::Stop, None)?,
            "start" => {
                let action = Action::Start;
                let speaker = get("active_speaker_name")
                    .map(|v| parse_bool("active_speaker_name", &v))
                    .transpose()?;
                let settings = LivestreamSettings::new().with_fields(
                    speaker,
                    get("display_name").as_deref(),
                    get("layout").as_deref(),
                    get("close_caption").as_deref(),
                )?;
                BatchOp::status(owner, action, Some(settings))?
            }
            "update" => {
                let key = match get("stream_key") {
                    Some(key) => key,
                    None => {
                        let name = required("stream_key_env")?;
                        env(&name).ok_or_else(|| {
                            Error::input(
                                "stream_key_env",
                                format!("names the environment variable {name}, which is not set"),
                            )
                        })?
                    }
                };
                let update = LivestreamUpdate::with_optional_resolution(
                    &required("stream_url")?,
                    &key,
                    &required("page_url")?,
                    get("resolution").as_deref(),
                )?;
                BatchOp::update(owner, update)
            }
            "get" => BatchOp::get(owner),
            _ => return Err(Error::input("op", "must be start, stop, update or get")),
        };
        match get("key") {
            Some(key) => batch_op.with_key(key),
            None => Ok(batch_op),
        }
    })()
    .map_err(at_row(row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::op::Operation;

    fn env(name: &str) -> Option<String> {
        (name == "KEY_A").then(|| "sk-live-aaaa".to_owned())
    }

    #[test]
    fn a_foxpro_csv_is_read() {
        // COPY TO ... TYPE CSV: every column on every row, T/F, CRLF, trailing 0x1A.
        let text: &[u8] = b"op,kind,id,display_name,active_speaker_name,layout,close_caption,stream_url,page_url,resolution,stream_key_env,key,notes\r\n\
            \"start\",\"meeting\",68423085,\"Caf\xe9 town hall\",T,\"\",\"\",\"\",\"\",\"\",\"\",\"r1\",\"x\"\r\n\
            \"stop\",\"webinar\",91234567890.00,\"\",.F.,\"\",\"\",\"rtmp://ignored\",\"\",\"\",\"\",\"\",\"\"\r\n\
            \"update\",\"meeting\",68423085,\"\",\"\",\"\",\"\",\"rtmp://a/live\",\"https://p.x/1\",\"720p\",\"KEY_A\",\"r3\",\"\"\r\n\x1a";
        let ops = parse(text, None, &env).unwrap();
        assert_eq!(ops.len(), 3);
        assert_eq!(ops[0].key.as_deref(), Some("r1"));
        let Operation::Status(Action::Start, Some(s)) = &ops[0].operation else {
            panic!("{:?}", ops[0])
        };
        assert_eq!(s.as_map()["display_name"], "Café town hall");
        assert_eq!(s.as_map()["active_speaker_name"], true);
        assert_eq!(ops[1].owner.id(), 91234567890);
        assert_eq!(ops[1].operation, Operation::Status(Action::Stop, None));
        let Operation::Update(u) = &ops[2].operation else {
            panic!()
        };
        assert_eq!(u.stream_key(), "sk-live-aaaa");
    }

    #[test]
    fn bom_and_windows_1252_are_decoded() {
        assert_eq!(decode(b"\xEF\xBB\xBFop\x1a\x1a"), "op");
        assert_eq!(decode(b"caf\xe9 \x93q\x94"), "café \u{201c}q\u{201d}");
    }

    #[test]
    fn json_lines_use_the_same_names() {
        let text = "{\"op\":\"start\",\"kind\":\"meeting\",\"id\":68423085,\"active_speaker_name\":false}\n\n{\"op\":\"get\",\"kind\":\"webinar\",\"id\":\"9\",\"key\":7}\n";
        let ops = parse(text.as_bytes(), None, &env).unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[1].key.as_deref(), Some("7"));
    }

    #[test]
    fn a_bad_row_is_named() {
        let csv = "op,kind,id,display_name\nstart,meeting,1,\nstart,meeting,2,\"%s\"\n";
        let long = csv.replace("%s", &"x".repeat(51));
        let err = parse(long.as_bytes(), None, &env).unwrap_err();
        assert_eq!(err.field(), Some("settings.display_name"));
        assert!(err.to_string().ends_with("(row 2)"), "{err}");
        for (text, field) in [
            ("op,kind,id\nbegin,meeting,1\n", "op"),
            ("op,kind,id\nstart,user,1\n", "kind"),
            ("op,kind,id\nstart,meeting,-1\n", "meeting_id"),
            ("op,kind\nstart,meeting\n", "id"),
            (
                "op,kind,id,active_speaker_name\nstart,meeting,1,maybe\n",
                "active_speaker_name",
            ),
            (
                "op,kind,id,stream_url,page_url,stream_key_env\nupdate,meeting,1,rtmp://a,https://p,NOPE\n",
                "stream_key_env",
            ),
            (
                "op,kind,id,layout\nstart,webinar,1,gallery\n",
                "settings.layout",
            ),
            ("op,kind,id\n", "input"),
            ("{\"op\":\"get\"}\n[1]\n", "kind"),
        ] {
            assert_eq!(
                parse(text.as_bytes(), None, &env).unwrap_err().field(),
                Some(field),
                "{text}"
            );
        }
        let err = parse(b"op,kind,id,stream_url,page_url,stream_key_env\nupdate,meeting,1,rtmp://a,https://p,NOPE\n", None, &env).unwrap_err();
        assert!(!err.to_string().contains("sk-live"), "{err}");
    }
}
