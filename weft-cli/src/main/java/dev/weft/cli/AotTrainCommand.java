package dev.weft.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@code weft aot-train} (hidden): the training run the {@code ./weft} launcher records into the
 * JDK's AOT cache (JEP 483/514/515) the first time it runs a new build. It exercises the path a
 * user's {@code weft fetch URLS_FILE -o out.jsonl} takes (option parsing, the URL reader, the direct
 * HTTP/1.1 transport of ADR 0330 (Jetty is loaded for https only), the policies, the histogram,
 * the JSON Lines writer; {@code --save} too when the fetch command has it) against a small loopback server of the JDK's own ({@code com.sun.net.httpserver},
 * so that the web-server stack is not put into every start-up), then {@code weft --help}. Whatever
 * the training loads and links, later runs get ready-made from the cache; what it does not
 * reach is loaded as usual. Output goes nowhere; temporary files are deleted. Exits 1 (and says
 * why on stderr) when the training fetch did not give one result per URL, so that the launcher
 * makes no cache from a broken run.
 */
final class AotTrainCommand extends Cli.Command {
    int urls;

    @Override
    String name() {
        return "aot-train";
    }

    @Override
    List<String> description() {
        return List.of("Internal: the training run for the launcher's start-up cache (JDK AOT cache).");
    }

    @Override
    void declare(Cli.Spec spec) {
        spec.option("--urls", "N", "URLs to fetch (default: ${DEFAULT-VALUE}).", "3000", Cli.INT, v -> urls = v);
    }

    @Override
    boolean hidden() {
        return true;
    }

    @Override
    int call() throws Exception {
        byte[] body = new byte[4096];
        Arrays.fill(body, (byte) 'x');
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                boolean missing = exchange.getRequestURI().getPath().startsWith("/missing");
                exchange.sendResponseHeaders(missing ? 404 : 200, missing ? -1 : body.length);
                if (!missing) {
                    exchange.getResponseBody().write(body);
                }
            }
        });
        server.start();
        Path dir = Files.createTempDirectory("weft-aot-train");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> lines = new ArrayList<>(urls + 8);
            lines.add("# training URLs");
            for (int i = 0; i < urls; i++) {
                lines.add(base + (i % 500 == 7 ? "/missing/" : "/item/") + i + ".bin");
            }
            Path file = dir.resolve("urls.txt");
            Files.write(file, lines, StandardCharsets.UTF_8);
            List<String> args = List.of("fetch", file.toString(), "--limit", "64", "-o",
                    dir.resolve("out.jsonl").toString(), "--save", dir.resolve("save").toString());
            // --progress left at auto: a user's run asks System.console() whether stderr is a terminal,
            // and the console provider it loads then comes from the cache too (lines, as here, when not)
            PrintStream savedOut = System.out;
            PrintStream savedErr = System.err;
            System.setOut(quiet); // before the commands are made: they take System.out/err when built
            System.setErr(quiet);
            try {
                int code = Main.execute(args.toArray(String[]::new));
                Main.usage(quiet);
                Cli.printHelp(new FetchCommand(), quiet);
                long results;
                try (Stream<String> s = Files.lines(dir.resolve("out.jsonl"))) {
                    results = s.count();
                }
                if (code != 0 || results != urls) {
                    savedErr.println("weft aot-train: the training fetch ended with " + code + " and " + results + " of " + urls
                            + " results; no start-up cache is made");
                    return 1;
                }
            } finally {
                System.setOut(savedOut);
                System.setErr(savedErr);
            }
            return 0;
        } finally {
            server.stop(0);
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
