package corpus;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

class Weft109StaticInit {
    static final InetAddress LOCAL = lookup();
    static final String CONFIG;
    static List<String> lines;

    static {
        try {
            CONFIG = Files.readString(Path.of("app.conf")); // expect: WEFT109
            load();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final Object HOST = InetAddress.getLoopbackAddress();

    static {
        Hooks.register(new Runnable() {
            @Override
            public void run() {
                String last = read("shutdown.conf");
            }
        });
    }

    static InetAddress lookup() {
        try {
            return InetAddress.getLocalHost(); // expect: WEFT109
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void load() throws Exception {
        lines = Files.readAllLines(Path.of("lines.txt")); // expect: WEFT109
    }

    // ---- look-alikes ----
    static final Supplier<String> LAZY = () -> read("lazy.conf");

    final String instanceConfig;

    {
        instanceConfig = read("instance.conf");
    }

    static String read(String name) {
        try {
            return Files.readString(Path.of(name));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
