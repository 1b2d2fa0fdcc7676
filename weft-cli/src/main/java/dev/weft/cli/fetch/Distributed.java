package dev.weft.cli.fetch;

import dev.weft.Weft;
import dev.weft.channel.QueueShutdownException;
import dev.weft.http.BulkFetch;
import dev.weft.http.FetchInput;
import dev.weft.http.FetchListener;
import dev.weft.http.FetchRequest;
import dev.weft.http.FetchResult;
import dev.weft.redis.Codec;
import dev.weft.redis.Delivery;
import dev.weft.redis.Redis;
import dev.weft.redis.RedisLimiter;
import dev.weft.redis.RedisRateLimiter;
import dev.weft.redis.RedisWorkQueue;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distributed mode of {@code weft fetch} on Redis: {@code --enqueue} puts the request lines of
 * a file on the queue {@code NAME}, {@code --worker} (any number, on any machines) fetches them with
 * {@link BulkFetch} and appends each result to the queue {@code NAME.results}, and
 * {@code --collect} writes the results to a JSON Lines file, one per input line.
 *
 * <p>Delivery is at-least-once: a worker killed after writing a result but before acknowledging
 * its request makes that request fetched again, so the collector drops a result whose input line
 * it has already written (the line number is the request's id). Per-host limits are shared by all
 * workers: {@code --per-host} through a {@link RedisLimiter} and {@code --rate} through a
 * {@link RedisRateLimiter} per host, taken before a request is handed to the engine and released
 * with its result.
 */
public final class Distributed {
    private static final Pattern LINE = Pattern.compile("\"line\":(\\d+)");

    /**
     * A request line of the input file.
     *
     * @param line its line number (from 1): the request's id
     * @param text the line (a URL or a JSON request object)
     */
    public record Job(long line, String text) {
    }

    private final String uri;
    private final String name;

    /**
     * Names a work queue on Redis; nothing is connected until the queue is used.
     *
     * @param uri {@code redis://HOST:PORT/NAME}
     * @throws IllegalArgumentException if it is not one, with an example
     */
    public Distributed(String uri) {
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Redis queue address: '" + uri + "' (expected redis://HOST:PORT/NAME)");
        }
        String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
        if (!"redis".equals(u.getScheme()) || u.getHost() == null || path.isEmpty() || path.contains("/")) {
            throw new IllegalArgumentException("not a Redis queue address: '" + uri + "' (expected redis://HOST:PORT/NAME)");
        }
        this.uri = uri;
        this.name = path;
    }

    private Redis connect() {
        return Redis.connect(uri);
    }

    /**
     * Puts every request line of {@code file} on the queue, then marks the input complete (the
     * queue is shut down for puts: workers stop once everything is done).
     *
     * @param file the URL file
     * @return the number of requests enqueued
     * @throws IOException if the file cannot be read
     * @throws InterruptedException if cancelled
     */
    public long enqueue(Path file) throws IOException, InterruptedException {
        try (Redis redis = connect();
             RedisWorkQueue<Job> jobs = RedisWorkQueue.builder(redis, name, Job.class).build();
             BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            long n = 0;
            for (String text; (text = in.readLine()) != null; ) {
                number++;
                if (FetchInput.isRequestLine(text)) {
                    jobs.put(new Job(number, text.strip()));
                    n++;
                }
            }
            jobs.shutdown();
            return n;
        }
    }

    /**
     * Fetches requests from the queue until it is shut down and every request is done (by any
     * worker).
     *
     * @param engine the engine, configured from the same options as a local fetch (no journal)
     * @param perHost requests in flight per host across all workers; 0: none
     * @param ratePerHost requests per second per host across all workers; null: none
     * @param visibility how long a dead worker's requests stay with it before others take them
     * @param listener the engine's events (progress, statistics)
     * @return the engine's summary
     * @throws IOException if the engine fails
     * @throws InterruptedException if cancelled (requests in flight are fetched again by others)
     */
    public BulkFetch.Summary work(BulkFetch engine, int perHost, Double ratePerHost, Duration visibility, FetchListener listener)
            throws IOException, InterruptedException {
        try (Redis redis = connect();
             RedisWorkQueue<Job> jobs = RedisWorkQueue.builder(redis, name, Job.class).visibilityTimeout(visibility)
                     .prefetch(16).build(); // 16 requests per read (held and renewed by this worker until taken)
             RedisWorkQueue<String> results = RedisWorkQueue.builder(redis, name + ".results", Codec.strings()).build()) {
            ConcurrentHashMap<Long, Held> inFlight = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, RedisLimiter> limiters = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, RedisRateLimiter> rates = new ConcurrentHashMap<>();
            Iterator<FetchRequest> requests = new Iterator<>() {
                private FetchRequest next;

                @Override
                public boolean hasNext() {
                    if (next != null) {
                        return true;
                    }
                    try {
                        Delivery<Job> d = take(jobs);
                        if (d == null) {
                            return false;
                        }
                        FetchRequest r = FetchRequest.parseLine(d.item().line(), d.item().text());
                        String host = r.isInvalid() ? null : hostOf(r.url());
                        RedisLimiter.Permit permit = null;
                        if (host != null && perHost > 0) {
                            permit = limiters.computeIfAbsent(host, h -> RedisLimiter.builder(redis, name + ":host:" + h, perHost)
                                    .lease(visibility).build()).acquire();
                        }
                        if (host != null && ratePerHost != null) {
                            try {
                                rates.computeIfAbsent(host, h -> RedisRateLimiter.builder(redis, name + ":rate:" + h)
                                        .rate(Math.max(1, (int) Math.round(ratePerHost * 1000)), Duration.ofSeconds(1000)).burst(1).build())
                                        .acquire();
                            } catch (InterruptedException | RuntimeException e) {
                                if (permit != null) {
                                    permit.close(); // the host's permit was taken: give it back now, not when its lease runs out
                                }
                                throw e;
                            }
                        }
                        inFlight.put(r.line(), new Held(d, permit));
                        next = r;
                        return true;
                    } catch (InterruptedException e) {
                        Weft.restoreInterrupt();
                        throw new CancellationException("fetch worker cancelled while waiting for requests");
                    }
                }

                @Override
                public FetchRequest next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    FetchRequest r = next;
                    next = null;
                    return r;
                }
            };
            FetchListener publishing = new FetchListener.Forwarding(listener) {
                @Override
                public void onResult(FetchResult result) throws InterruptedException {
                    results.put(result.toJson()); // first the result, then the ack: at-least-once
                    Held h = inFlight.remove(result.line());
                    if (h != null) {
                        jobs.ack(h.delivery());
                        if (h.permit() != null) {
                            h.permit().close();
                        }
                    }
                    listener.onResult(result);
                }

                @Override
                public void onCancelled(FetchRequest request) {
                    Held h = inFlight.remove(request.line());
                    if (h != null && h.permit() != null) {
                        h.permit().close(); // the request stays pending: fetched again by a live worker
                    }
                    listener.onCancelled(request);
                }
            };
            try {
                return engine.run(requests, publishing);
            } finally {
                limiters.values().forEach(RedisLimiter::close);
            }
        }
    }

    private record Held(Delivery<Job> delivery, RedisLimiter.Permit permit) {
    }

    /** The next request, or null once the queue is shut down and nothing is left anywhere. */
    private static Delivery<Job> take(RedisWorkQueue<Job> jobs) throws InterruptedException {
        while (true) {
            try {
                return jobs.receive();
            } catch (QueueShutdownException e) {
                if (jobs.unfinished() == 0) {
                    return null;
                }
                // requests still in flight somewhere: a dead worker's come back after the visibility timeout
                Weft.sleep(Duration.ofMillis(100));
            }
        }
    }

    private static String hostOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getHost() == null ? null : u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * What {@link #collect} did.
     *
     * @param written result lines written by this run
     * @param duplicates repeated results dropped (at-least-once delivery)
     * @param alreadyInFile results the output file held before this run
     */
    public record Collected(long written, long duplicates, long alreadyInFile) {
    }

    /**
     * Appends the results to {@code out} (one JSON line per input line: a repeated result of a line
     * already written, there or in an earlier run, is dropped) until the input is complete and
     * every request is done.
     *
     * @param out the JSON Lines file (created or continued)
     * @param progress called with the count written so far, after each result
     * @return the counts
     * @throws IOException if the file cannot be written
     * @throws InterruptedException if cancelled (results not yet written stay on the queue)
     */
    public Collected collect(Path out, java.util.function.LongConsumer progress) throws IOException, InterruptedException {
        Set<Long> seen = new HashSet<>();
        if (Files.exists(out)) {
            for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                Matcher m = LINE.matcher(l);
                if (m.find()) {
                    seen.add(Long.parseLong(m.group(1)));
                }
            }
        }
        long already = seen.size();
        long written = 0;
        long duplicates = 0;
        try (Redis redis = connect();
             RedisWorkQueue<Job> jobs = RedisWorkQueue.builder(redis, name, Job.class).build();
             RedisWorkQueue<String> results = RedisWorkQueue.builder(redis, name + ".results", Codec.strings())
                     .prefetch(64).build();
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            while (true) {
                Optional<String> r = results.tryGet();
                if (r.isEmpty()) {
                    if (!jobs.isShutdown() || jobs.unfinished() > 0) {
                        Weft.sleep(Duration.ofMillis(50));
                        continue;
                    }
                    // a request's result is put before its ack: nothing unfinished means every result is queued
                    r = results.tryGet();
                    if (r.isEmpty()) {
                        break;
                    }
                }
                Matcher m = LINE.matcher(r.get());
                if (!m.find() || seen.add(Long.parseLong(m.group(1)))) {
                    w.write(r.get());
                    w.newLine();
                    w.flush(); // written before the ack
                    written++;
                    progress.accept(written);
                } else {
                    duplicates++;
                }
                results.taskDone();
            }
        }
        return new Collected(written, duplicates, already);
    }
}
