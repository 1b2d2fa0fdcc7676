package corpus;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Scanner;
import java.util.concurrent.CompletableFuture;

class Weft105Console {
    void flagged(CompletableFuture<String> cf) {
        cf.thenRun(() -> {
            try {
                System.in.read(); // expect: WEFT105
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Scanner sc = new Scanner(System.in);
        cf.thenApply(s -> sc.nextLine()); // expect: WEFT105
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in));
        cf.thenApply(s -> {
            try {
                return br.readLine(); // expect: WEFT105
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        cf.thenApply(s -> System.console().readLine()); // expect: WEFT105
    }

    // ---- look-alikes ----
    void notFlagged(CompletableFuture<String> cf, BufferedReader file) {
        cf.thenApply(s -> new Scanner(s).nextLine());
        cf.thenApply(s -> {
            try {
                return file.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String line = System.console().readLine();
    }
}
