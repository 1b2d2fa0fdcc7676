package dev.weft.redis;

import java.util.Objects;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns items into the text stored in Redis and back. {@link #json(Class)} (Jackson) is the
 * default; {@link #strings()} stores strings as they are.
 *
 * @param <T> the type of the items
 */
public interface Codec<T> {
    /**
     * Encodes an item into the text stored in the stream.
     *
     * @param item the item (not null)
     * @return its stored form
     */
    String encode(T item);

    /**
     * Decodes the text {@link #encode} made back into the item.
     *
     * @param text a stored form made by {@link #encode}
     * @return the item
     * @throws IllegalArgumentException if {@code text} cannot be decoded (the item is then dead-lettered)
     */
    T decode(String text);

    /**
     * JSON through Jackson 3: records, beans, collections and scalars.
     *
     * @param <T> the type of the items
     * @param type the items' class
     * @return a codec
     */
    static <T> Codec<T> json(Class<T> type) {
        Objects.requireNonNull(type, "type");
        JsonMapper mapper = JsonMapper.builder().build();
        JavaType jt = mapper.constructType(type);
        return new Codec<>() {
            @Override
            public String encode(T item) {
                return mapper.writeValueAsString(item);
            }

            @Override
            public T decode(String text) {
                try {
                    return mapper.readValue(text, jt);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("cannot decode a " + type.getSimpleName() + " from " + abbreviate(text)
                            + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Strings stored as they are.
     *
     * @return a codec
     */
    static Codec<String> strings() {
        return new Codec<>() {
            @Override
            public String encode(String item) {
                return item;
            }

            @Override
            public String decode(String text) {
                return text;
            }
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 77) + "...'";
    }
}
