/*
 * The C face behind real proxies (issue 18 §4), run by tests/proxy/run.sh with the rig
 * of tests/proxy/rig.py: the proxy settings, zoomlive_client_proxy_for, NTLM through
 * squid and through the proxy that checks the password, and
 * ZOOMLIVE_STATUS_PROXY_AUTH for a wrong one. Reads the rig's values from ZL_* variables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zoomlive.h"

static int passed, failed;

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
        } else {                                                            \
            failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                   \
            fprintf(stderr, "\n");                                          \
        }                                                                   \
    } while (0)

static const char *last(void) {
    static char buf[2048];
    if (zoomlive_last_error_message(buf, sizeof buf, NULL) != ZOOMLIVE_STATUS_OK) {
        return "(no message)";
    }
    return buf;
}

#define CHECK_STATUS(expr, want)                                                         \
    do {                                                                                 \
        zoomlive_status got_ = (expr);                                                   \
        CHECK(got_ == (want), "got %d (%s), want %d: %s", got_, zoomlive_status_str(got_), \
              (int)(want), last());                                                      \
    } while (0)

static const char *env(const char *name) {
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "test_proxy: %s is not set (run tests/proxy/run.sh)\n", name);
        exit(2);
    }
    return v;
}

/* A client of the rig's API through `proxy` with these proxy credentials. */
static zoomlive_client *through(const char *proxy, const char *user, const char *password) {
    zoomlive_client *c = NULL;
    CHECK_STATUS(zoomlive_client_new("eyJ-proxy-test-token", &c), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(c, env("ZL_API")), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_extra_ca_file(c, env("ZL_CA")), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_timeout_ms(c, 15000), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_proxy(c, proxy), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_proxy_credentials(c, user, password), ZOOMLIVE_STATUS_OK);
    return c;
}

int main(void) {
    const char *user = env("ZL_USER"), *password = env("ZL_PASSWORD");
    char json[512];
    size_t needed = 0;

    /* The settings and the decision. */
    zoomlive_client *c = NULL;
    CHECK_STATUS(zoomlive_client_new("eyJ-proxy-test-token", &c), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_proxy(c, "http://me:pw-12345@corp-proxy:8080"), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_proxy_for(c, "https://api.zoom.us", json, sizeof json, &needed),
                 ZOOMLIVE_STATUS_OK);
    CHECK(strcmp(json, "{\"proxy\":\"http://corp-proxy:8080\",\"source\":\"explicit\"}") == 0, "%s", json);
    CHECK(needed == strlen(json) + 1, "needed %zu", needed);
    CHECK_STATUS(zoomlive_client_proxy_for(c, "https://api.zoom.us", json, 4, &needed),
                 ZOOMLIVE_STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(zoomlive_client_set_no_proxy(c, "zoom.us"), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_proxy_for(c, "https://api.zoom.us", json, sizeof json, NULL),
                 ZOOMLIVE_STATUS_OK);
    CHECK(strstr(json, "\"source\":\"bypass:zoom.us\"") != NULL, "%s", json);
    CHECK_STATUS(zoomlive_client_set_proxy(c, "direct"), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_no_proxy(c, NULL), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_proxy_for(c, "https://api.zoom.us", json, sizeof json, NULL),
                 ZOOMLIVE_STATUS_OK);
    CHECK(strcmp(json, "{\"proxy\":null,\"source\":\"explicit\"}") == 0, "%s", json);
    CHECK_STATUS(zoomlive_client_set_proxy(c, ""), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_system_proxy(c, 0), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_proxy_for(c, "http://127.0.0.1:9/v2", json, sizeof json, NULL),
                 ZOOMLIVE_STATUS_OK);
    CHECK(strcmp(json, "{\"proxy\":null,\"source\":\"loopback\"}") == 0, "%s", json);
    CHECK_STATUS(zoomlive_client_set_proxy(c, "ftp://me:pw-12345@p:21"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(last(), "pw-12345") == NULL, "%s", last());
    CHECK_STATUS(zoomlive_client_set_proxy_auth(c, "kerberos"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_proxy_auth(c, "ntlm"), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_proxy_for(NULL, "https://a", json, sizeof json, NULL),
                 ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK(strcmp(zoomlive_status_str(ZOOMLIVE_STATUS_PROXY_AUTH), "proxy authentication failed") == 0,
          "%s", zoomlive_status_str(ZOOMLIVE_STATUS_PROXY_AUTH));
    zoomlive_client_free(c);

    /* NTLM through squid, and through the proxy that checks the password. */
    const char *proxies[] = {env("ZL_SQUID"), env("ZL_NTLM_PROXY")};
    for (int i = 0; i < 2; i++) {
        c = through(proxies[i], user, password);
        CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
        CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", NULL), ZOOMLIVE_STATUS_OK);
        zoomlive_client_free(c);
    }
    c = through(env("ZL_NTLM_PROXY"), user, "Wr0ng-Passw0rd");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_PROXY_AUTH);
    CHECK(strstr(last(), "NTLM") != NULL && strstr(last(), "Wr0ng") == NULL, "%s", last());
    zoomlive_client_free(c);

    printf("test_proxy: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
