# Proxies (issue 18): the C face and curl behind real proxies on loopback (squid, and a
# proxy checking the NTLM password); Rust, CLI and Python run the same rig in their
# suites. Included by the Makefile; the scripts are in tests/proxy/.

.PHONY: test-proxy

## test-proxy: tests/proxy/run.sh (squid and pyspnego from make deps).
test-proxy: build deps
	bash tests/proxy/run.sh

.PHONY: test-windows-proxy

## test-windows-proxy: Windows' proxy settings (Internet Options, PAC, netsh winhttp)
## under Wine for both DLLs (tests/windows/proxy/run.sh; after make windows).
test-windows-proxy: deps
	bash tests/windows/proxy/run.sh
