/* fuzz_sockaddr.c - sock_addr_parse() on any text.
 *
 * Properties: a failure leaves the address empty and gives a reason; a
 * parsed address stays inside struct sockaddr_un/in6 and formats to text
 * that parses back to an equal address; the formatter never overruns
 * however small its buffer.
 */
#include "fuzz.h"

#include "base/sockaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strdup(data, size);
    if (!s)
        return 0;
    struct sock_addr a, b;
    const char *err = NULL;
    if (sock_addr_parse(s, &a, &err) < 0) {
        FUZZ_ASSERT(err && *err);
        FUZZ_ASSERT(a.len == 0);
        free(s);
        return 0;
    }
    FUZZ_ASSERT(a.len > 0 && a.len <= sizeof(a.ss));
    char buf[256];
    int n = sock_addr_format(&a, buf, sizeof(buf));
    FUZZ_ASSERT(n > 0 && (size_t)n < sizeof(buf));
    FUZZ_ASSERT(sock_addr_parse(buf, &b, &err) == 0);
    FUZZ_ASSERT(sock_addr_equal(&a, &b));
    for (size_t k = 1; k <= 24; k++) {
        char *small = malloc(k);
        if (!small)
            break;
        FUZZ_ASSERT(sock_addr_format(&a, small, k) == n);
        FUZZ_ASSERT(memchr(small, '\0', k) != NULL);
        FUZZ_ASSERT(strncmp(small, buf, strlen(small)) == 0);
        free(small);
    }
    free(s);
    return 0;
}
