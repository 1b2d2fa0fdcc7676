package dev.weft.http.internal;

import tools.jackson.databind.json.JsonMapper;

/** The one Jackson mapper shared by the client and the server (thread-safe once built). */
public final class Json {
    /** Default Jackson 3 settings: unknown properties fail, dates as ISO strings. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }
}
