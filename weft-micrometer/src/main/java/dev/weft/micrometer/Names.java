package dev.weft.micrometer;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;

/** Argument checks shared by the binders. */
final class Names {
    private Names() {
    }

    /** {@code extra} plus {@code name=value}; rejects a null or blank name with a message saying what to pass. */
    static Tags tags(String what, String name, Iterable<Tag> extra) {
        Objects.requireNonNull(extra, "tags must not be null (pass Tags.empty())");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " metrics need a non-blank name: it becomes the tag 'name'"
                    + " that tells one " + what + " from another");
        }
        return Tags.of(extra).and("name", name);
    }

    /** "2xx" .. "5xx" for a status code, "1xx" for informational; "unknown" outside 100-599. */
    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "unknown";
    }

    /** Micrometer's http {@code outcome} tag values (as Spring and Micrometer's own HTTP instrumentation use them). */
    static String outcome(int status) {
        if (status >= 100 && status < 200) {
            return "INFORMATIONAL";
        } else if (status < 300 && status >= 200) {
            return "SUCCESS";
        } else if (status < 400 && status >= 300) {
            return "REDIRECTION";
        } else if (status < 500 && status >= 400) {
            return "CLIENT_ERROR";
        } else if (status < 600 && status >= 500) {
            return "SERVER_ERROR";
        }
        return "UNKNOWN";
    }
}
