//! The text of Windows' proxy settings, as WinINet reads it (platform-neutral, so it is
//! tested everywhere): the per-scheme proxy list (`http=a:8080;https=b:8443`, or one
//! `host:port` for every scheme) and the bypass list (`<local>`, `*` wildcards).

/// The proxy a Windows proxy list names for a URL of `scheme` (`http` or `https`), as
/// `http://host:port` (an entry without a scheme is an HTTP proxy); `None` when the
/// list names none for that scheme (only `ftp=` or `socks=` entries, for example).
pub(crate) fn pick(list: &str, scheme: &str) -> Option<String> {
    let mut any = None;
    for entry in list
        .split([';', ' ', '\t', '\r', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        match entry.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case(scheme) => {
                return Some(with_scheme(value.trim()));
            }
            Some(_) => {}
            None if any.is_none() => any = Some(with_scheme(entry)),
            None => {}
        }
    }
    any
}

fn with_scheme(value: &str) -> String {
    if value.contains("://") {
        value.to_owned()
    } else {
        format!("http://{value}")
    }
}

/// The entry of a Windows bypass list (`ProxyOverride`, `netsh winhttp ... bypass-list`)
/// that covers `host` (lower case), if any: `<local>` covers names without a dot, `*`
/// matches any run of characters, the rest is compared without regard to case.
pub(crate) fn bypass_rule(list: &str, host: &str) -> Option<String> {
    list.split([';', ' ', ',', '\t', '\r', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .find(|entry| {
            if entry.eq_ignore_ascii_case("<local>") {
                return !host.contains('.') && !host.contains(':');
            }
            glob(&entry.to_ascii_lowercase(), host)
        })
        .map(str::to_owned)
}

/// Whether `text` matches `pattern`, whose `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text.ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_per_scheme_form_and_the_single_form() {
        assert_eq!(
            pick("http=a:8080;https=b:8443", "https").as_deref(),
            Some("http://b:8443")
        );
        assert_eq!(
            pick("http=a:8080;https=b:8443", "http").as_deref(),
            Some("http://a:8080")
        );
        assert_eq!(
            pick("proxy.corp:3128", "https").as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(pick("ftp=f:21;socks=s:1080", "https"), None);
        assert_eq!(
            pick("HTTPS=https://b:8443 ftp=f:21", "https").as_deref(),
            Some("https://b:8443")
        );
        assert_eq!(pick("", "https"), None);
    }

    #[test]
    fn bypass_lists_as_wininet_reads_them() {
        let list = "*.corp.example;10.*;<local>;exact.host";
        assert_eq!(
            bypass_rule(list, "a.corp.example").as_deref(),
            Some("*.corp.example")
        );
        assert_eq!(bypass_rule(list, "10.1.2.3").as_deref(), Some("10.*"));
        assert_eq!(bypass_rule(list, "intranet").as_deref(), Some("<local>"));
        assert_eq!(
            bypass_rule(list, "exact.host").as_deref(),
            Some("exact.host")
        );
        assert_eq!(bypass_rule(list, "api.zoom.us"), None);
        assert_eq!(bypass_rule(list, "corp.example"), None);
        assert_eq!(
            bypass_rule("*zoom*", "api.zoom.us").as_deref(),
            Some("*zoom*")
        );
        assert_eq!(
            bypass_rule("API.ZOOM.US", "api.zoom.us").as_deref(),
            Some("API.ZOOM.US")
        );
    }
}
