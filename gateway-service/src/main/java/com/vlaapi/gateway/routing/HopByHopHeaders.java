package com.vlaapi.gateway.routing;

import java.util.Set;

/** Headers about one connection (RFC 9110 section 7.6.1), which a proxy never passes on. */
final class HopByHopHeaders {

    private static final Set<String> NAMES = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate");

    private HopByHopHeaders() {
    }

    /** {@code lowerCaseName}: the header's name in lower case. */
    static boolean is(String lowerCaseName) {
        return NAMES.contains(lowerCaseName);
    }
}
