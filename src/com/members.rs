//! The members of `ZoomLive.Client`: one table that `GetIDsOfNames` (name to DISPID,
//! case-insensitive as late binding is) and `Invoke` (DISPID to kind and arity) both read.

/// What a member is, and how it may be invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A method taking `min..=max` arguments and returning a Long status.
    Method { min: usize, max: usize },
    /// A read-only property.
    Get,
    /// A read/write property.
    GetPut,
}

/// Every member, named as the object's users see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    UseAccessToken,
    UseServerToServer,
    MeetingLivestreamStatus,
    WebinarLivestreamStatus,
    MeetingLivestreamUpdate,
    WebinarLivestreamUpdate,
    MeetingLivestreamGet,
    WebinarLivestreamGet,
    RunBatch,
    Doctor,
    BaseUrl,
    OAuthUrl,
    Encoding,
    TimeoutMs,
    ConnectTimeoutMs,
    MaxRetries,
    ExtraCaFile,
    Proxy,
    NoProxy,
    UseSystemProxy,
    ProxyLogin,
    ProxyPassword,
    ProxyAuthMethod,
    TraceFile,
    StreamUrl,
    StreamKey,
    PageUrl,
    Resolution,
    LivestreamJson,
    LastStatus,
    LastMethodSuccess,
    LastErrorText,
    LastErrorField,
    LastHttpStatus,
    LastZoomCode,
    LastTrackingId,
    LastRetryAfterMs,
    LastMissingScopes,
    LastRateLimit,
    LastTrace,
    Version,
    BatchOk,
    BatchFailed,
    BatchDeferred,
    BatchSkipped,
}

pub(super) struct Member {
    pub name: &'static str,
    pub dispid: i32,
    pub kind: Kind,
    pub op: Op,
}

const fn method(name: &'static str, dispid: i32, op: Op, min: usize, max: usize) -> Member {
    Member {
        name,
        dispid,
        kind: Kind::Method { min, max },
        op,
    }
}

const fn get(name: &'static str, dispid: i32, op: Op) -> Member {
    Member {
        name,
        dispid,
        kind: Kind::Get,
        op,
    }
}

const fn get_put(name: &'static str, dispid: i32, op: Op) -> Member {
    Member {
        name,
        dispid,
        kind: Kind::GetPut,
        op,
    }
}

/// DISPIDs are part of the contract for early-bound callers that cache them: never renumber.
pub(super) const MEMBERS: &[Member] = &[
    method("UseAccessToken", 1, Op::UseAccessToken, 1, 1),
    method("UseServerToServer", 2, Op::UseServerToServer, 3, 3),
    method(
        "MeetingLivestreamStatus",
        3,
        Op::MeetingLivestreamStatus,
        2,
        3,
    ),
    method(
        "WebinarLivestreamStatus",
        4,
        Op::WebinarLivestreamStatus,
        2,
        3,
    ),
    method(
        "MeetingLivestreamUpdate",
        5,
        Op::MeetingLivestreamUpdate,
        4,
        5,
    ),
    method(
        "WebinarLivestreamUpdate",
        6,
        Op::WebinarLivestreamUpdate,
        4,
        5,
    ),
    method("MeetingLivestreamGet", 7, Op::MeetingLivestreamGet, 1, 1),
    method("WebinarLivestreamGet", 8, Op::WebinarLivestreamGet, 1, 1),
    method("RunBatch", 9, Op::RunBatch, 2, 3),
    method("Doctor", 10, Op::Doctor, 0, 0),
    get_put("BaseUrl", 20, Op::BaseUrl),
    get_put("OAuthUrl", 21, Op::OAuthUrl),
    get_put("Encoding", 22, Op::Encoding),
    get_put("TimeoutMs", 23, Op::TimeoutMs),
    get_put("ConnectTimeoutMs", 24, Op::ConnectTimeoutMs),
    get_put("MaxRetries", 25, Op::MaxRetries),
    get_put("ExtraCaFile", 26, Op::ExtraCaFile),
    get_put("Proxy", 27, Op::Proxy),
    get_put("NoProxy", 28, Op::NoProxy),
    get_put("UseSystemProxy", 29, Op::UseSystemProxy),
    get_put("ProxyLogin", 30, Op::ProxyLogin),
    get_put("ProxyPassword", 31, Op::ProxyPassword),
    get_put("ProxyAuthMethod", 32, Op::ProxyAuthMethod),
    get_put("TraceFile", 33, Op::TraceFile),
    get("StreamUrl", 40, Op::StreamUrl),
    get("StreamKey", 41, Op::StreamKey),
    get("PageUrl", 42, Op::PageUrl),
    get("Resolution", 43, Op::Resolution),
    get("LivestreamJson", 44, Op::LivestreamJson),
    get("LastStatus", 60, Op::LastStatus),
    get("LastMethodSuccess", 61, Op::LastMethodSuccess),
    get("LastErrorText", 62, Op::LastErrorText),
    get("LastErrorField", 63, Op::LastErrorField),
    get("LastHttpStatus", 64, Op::LastHttpStatus),
    get("LastZoomCode", 65, Op::LastZoomCode),
    get("LastTrackingId", 66, Op::LastTrackingId),
    get("LastRetryAfterMs", 67, Op::LastRetryAfterMs),
    get("LastMissingScopes", 68, Op::LastMissingScopes),
    get("LastRateLimit", 69, Op::LastRateLimit),
    get("LastTrace", 70, Op::LastTrace),
    get("Version", 80, Op::Version),
    get("BatchOk", 90, Op::BatchOk),
    get("BatchFailed", 91, Op::BatchFailed),
    get("BatchDeferred", 92, Op::BatchDeferred),
    get("BatchSkipped", 93, Op::BatchSkipped),
];

/// The member called `name` (UTF-16, any case).
pub(super) fn by_name(name: &[u16]) -> Option<&'static Member> {
    MEMBERS.iter().find(|m| {
        m.name.len() == name.len()
            && m.name
                .bytes()
                .zip(name)
                .all(|(a, &b)| u8::try_from(b).is_ok_and(|b| b.eq_ignore_ascii_case(&a)))
    })
}

pub(super) fn by_dispid(dispid: i32) -> Option<&'static Member> {
    MEMBERS.iter().find(|m| m.dispid == dispid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn names_and_dispids_are_unique_and_found_in_any_case() {
        for (i, m) in MEMBERS.iter().enumerate() {
            for other in &MEMBERS[i + 1..] {
                assert_ne!(m.dispid, other.dispid);
                assert!(!m.name.eq_ignore_ascii_case(other.name));
            }
            assert_eq!(by_name(&wide(&m.name.to_uppercase())).unwrap().op, m.op);
            assert_eq!(by_dispid(m.dispid).unwrap().op, m.op);
        }
        assert!(by_name(&wide("NoSuchMember")).is_none());
        assert!(by_name(&wide("LastStatu")).is_none());
    }
}
