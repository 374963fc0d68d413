//! A certificate's subject and issuer as text (`CN=api.zoom.us, O=Zoom...`), read from
//! its DER bytes for the trace: only the few DER elements on the way to the two names
//! are parsed, and anything unexpected gives `None` (the trace then says so).

/// One DER element: its tag, its contents, and what follows it.
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The short names of the attribute types a certificate name usually holds.
fn attribute_name(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        [0x55, 0x04, 0x05] => "serialNumber",
        _ => return None,
    })
}

/// A `Name` (a SEQUENCE of SETs of type-and-value pairs) as `CN=..., O=...`.
fn name(der: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    let mut sets = der;
    while !sets.is_empty() {
        let (tag, set, rest) = element(sets)?;
        sets = rest;
        if tag != 0x31 {
            return None;
        }
        let mut pairs = set;
        while !pairs.is_empty() {
            let (tag, pair, rest) = element(pairs)?;
            pairs = rest;
            if tag != 0x30 {
                return None;
            }
            let (oid_tag, oid, value) = element(pair)?;
            let (_, text, _) = element(value)?;
            if oid_tag != 0x06 {
                return None;
            }
            let text = String::from_utf8_lossy(text);
            let text = super::event::printable(&text);
            match attribute_name(oid) {
                Some(short) => parts.push(format!("{short}={text}")),
                None => parts.push(format!("{}={text}", oid_text(oid))),
            }
        }
    }
    // Most specific first, as RFC 4514 writes names.
    parts.reverse();
    Some(parts.join(", "))
}

/// An OID's dotted text (for attribute types without a short name).
fn oid_text(oid: &[u8]) -> String {
    let mut arcs = Vec::new();
    let mut value: u64 = 0;
    for (i, &b) in oid.iter().enumerate() {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() && i < 4 {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The subject and issuer of a DER certificate.
pub(crate) fn subject_and_issuer(der: &[u8]) -> Option<(String, String)> {
    let (tag, cert, _) = element(der)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, tbs, _) = element(cert)?;
    if tag != 0x30 {
        return None;
    }
    let mut rest = tbs;
    // [0] version, when present.
    let (tag, _, after) = element(rest)?;
    if tag == 0xa0 {
        rest = after;
    }
    let (_, _, rest) = element(rest)?; // serial number
    let (_, _, rest) = element(rest)?; // signature algorithm
    let (tag, issuer, rest) = element(rest)?;
    if tag != 0x30 {
        return None;
    }
    let (_, _, rest) = element(rest)?; // validity
    let (tag, subject, _) = element(rest)?;
    if tag != 0x30 {
        return None;
    }
    Some((name(subject)?, name(issuer)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_a_generated_certificate() {
        let mut params = rcgen::CertificateParams::new(vec!["api.zoom.test".into()]).unwrap();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "api.zoom.test");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "Zoomlive Tests");
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let (subject, issuer) = subject_and_issuer(cert.der()).unwrap();
        assert_eq!(subject, "O=Zoomlive Tests, CN=api.zoom.test");
        assert_eq!(issuer, subject);
    }

    #[test]
    fn garbage_is_none_not_a_panic() {
        for bad in [
            &b""[..],
            b"\x30",
            b"\x30\x84\xff\xff\xff\xff",
            b"\x30\x03\x30\x01",
        ] {
            assert_eq!(subject_and_issuer(bad), None);
        }
        assert_eq!(oid_text(&[0x2a, 0x86, 0x48]), "1.2.840");
    }
}
