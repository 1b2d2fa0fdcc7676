package dev.weft.redis;

/**
 * One delivery of an item by {@link RedisWorkQueue#receive()}: finish it with
 * {@link RedisWorkQueue#ack} or {@link RedisWorkQueue#fail}.
 *
 * @param <T> the type of the item
 * @param id the stream entry id (unique per item, the same on every re-delivery: a key for idempotent handlers)
 * @param item the decoded item
 * @param deliveries how many times it has been delivered, this one included (1 the first time)
 */
public record Delivery<T>(String id, T item, long deliveries) {
}
