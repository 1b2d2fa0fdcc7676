package dev.weft.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON error body every error answer of a {@link WebApp} uses. */
final class WebAppErrors {
    private WebAppErrors() {
    }

    static Map<String, Object> body(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", message);
        return m;
    }
}
