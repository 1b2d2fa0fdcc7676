/**
 * Weft redis: work queues and limits shared by several JVMs, on Redis Streams with consumer
 * groups ({@code RedisWorkQueue}), a leased concurrency limit ({@code RedisLimiter}) and an exact
 * rate across processes ({@code RedisRateLimiter}, GCRA in one Lua script). They keep the
 * contracts of the local types ({@code WorkQueue}, {@code Limiter}, {@code RateLimiter}) as far as
 * a network allows; Jedis and Jackson stay implementation details.
 */
module dev.weft.redis {
    requires transitive dev.weft.core;
    requires transitive dev.weft.resilience; // RateLimitedException appears in the API
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;
    requires tools.jackson.databind;

    exports dev.weft.redis;
}
