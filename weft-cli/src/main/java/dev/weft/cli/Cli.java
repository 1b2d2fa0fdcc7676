package dev.weft.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TableDefinition;
import org.apache.commons.cli.help.TextHelpAppendable;

/**
 * Weft's command-line layer on Apache Commons CLI. Each sub-command declares its options on a
 * {@link Spec} (names, value label, description, default, converter, and where the value goes);
 * {@link #execute} parses, applies the defaults, converts, prints the help or the version, and
 * reports a usage error in one sentence with exit code 2.
 *
 * <p>Commons CLI rather than picocli (ADR 0333): picocli's classes are compiled for Java 5 (class
 * version 49), which the JDK's AOT cache cannot hold, and loading, verifying and reflecting over
 * them cost about 0.45 CPU s at every start of {@code weft}; Commons CLI's classes are cached with
 * the rest, and declaring and parsing {@code weft fetch}'s options costs a few milliseconds.
 */
final class Cli {
    static final String VERSION = "weft 0.1.0";
    private static final int WIDTH = 100;

    private Cli() {
    }

    /** A sub-command: its name, what it does, its options, and its body. */
    abstract static class Command {
        PrintStream out = System.out;
        PrintStream err = System.err;

        /** The sub-command's name ({@code fetch}). */
        abstract String name();

        /** Paragraphs shown under the usage line of the help. */
        abstract List<String> description();

        /** Declares the options and positional parameters. */
        abstract void declare(Spec spec);

        /** Runs the command once its options are set; returns the exit code. */
        abstract int call() throws Exception;

        /** One line for {@code weft --help}: the description's first sentence unless a command says less. */
        String summary() {
            String first = description().getFirst();
            int end = first.indexOf(". ");
            return end < 0 ? first : first.substring(0, end + 1);
        }

        /** The exit codes for the help, each "CODE:meaning"; none listed by default. */
        List<String> exitCodes() {
            return List.of();
        }

        /** A hidden command is not listed by {@code weft --help}. */
        boolean hidden() {
            return false;
        }
    }

    /** A value that was not what an option takes: the message says what was wrong. */
    static final class BadValue extends IllegalArgumentException {
        BadValue(String message) {
            super(message);
        }
    }

    /** Converters, each failing with an {@link IllegalArgumentException} that quotes the value and says what was expected. */
    static final Function<String, Integer> INT = v -> {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadValue("'" + v + "' is not a whole number");
        }
    };
    static final Function<String, Long> LONG = v -> {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new BadValue("'" + v + "' is not a whole number");
        }
    };
    static final Function<String, Double> DOUBLE = v -> {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new BadValue("'" + v + "' is not a number");
        }
    };
    static final Function<String, String> STRING = v -> v;
    static final Function<String, Path> PATH = v -> {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new BadValue("'" + v + "' is not a path: " + e.getReason());
        }
    };

    /** One declared option: how it is parsed, shown and stored. */
    private record Decl(Option shown, List<String> names, String display, String defaultValue, boolean takesValue,
            boolean repeatable, Consumer<String> apply, Runnable flag) {
        /** The same option shown in the help as {@code display} (null: not shown). */
        Decl as(String shownAs) {
            return new Decl(shown, names, shownAs, defaultValue, takesValue, repeatable, apply, flag);
        }

        // Identity, which is what parsing means by "this option" (each declaration is made once).
        // Also for start-up: a record's generated equals is bootstrapped on first use by method
        // handles that the start-up cache does not keep, about 5 ms of every command's start.
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** The options and positional parameters of one command, as it declares them. */
    static final class Spec {
        private final List<Decl> decls = new ArrayList<>();
        private String positionalLabel;
        private String positionalDescription;
        private int positionalMin;
        private int positionalMax;
        private Consumer<List<String>> positionals;

        /**
         * Positional parameters, {@code min} to {@code max} of them ({@link Integer#MAX_VALUE}: no limit),
         * handed over all at once (an empty list when none are given).
         */
        Spec positional(String label, String description, int min, int max, Consumer<List<String>> into) {
            positionalLabel = label;
            positionalDescription = description;
            positionalMin = min;
            positionalMax = max;
            positionals = into;
            return this;
        }

        /** A flag without a value: {@code set} runs when it is given. */
        Spec flag(String names, String description, Runnable set) {
            decls.add(decl(names, null, description, null, false, null, set));
            return this;
        }

        /**
         * A flag with its negation: {@code --NAME} gives true, {@code --no-NAME} false; {@code into}
         * is not called when neither is given.
         */
        Spec negatable(String name, String description, Consumer<Boolean> into) {
            decls.add(decl(name, null, description, null, false, null, () -> into.accept(true))
                    .as("--[no-]" + name.substring(2)));
            decls.add(decl("--no-" + name.substring(2), null, description, null, false, null, () -> into.accept(false))
                    .as(null));
            return this;
        }

        /**
         * An option with one value; {@code defaultValue} (may be null: none) is converted and stored
         * like a given value when the option is absent, and replaces {@code ${DEFAULT-VALUE}} in the
         * description.
         */
        <T> Spec option(String names, String label, String description, String defaultValue,
                Function<String, T> convert, Consumer<? super T> into) {
            decls.add(decl(names, label, description, defaultValue, false, v -> into.accept(convert.apply(v)), null));
            return this;
        }

        /** An option that may be given many times; {@code add} receives each value in order. */
        <T> Spec repeatable(String names, String label, String description, Function<String, T> convert,
                Consumer<? super T> add) {
            decls.add(decl(names, label, description, null, true, v -> add.accept(convert.apply(v)), null));
            return this;
        }

        private static Decl decl(String names, String label, String description, String defaultValue,
                boolean repeatable, Consumer<String> apply, Runnable flag) {
            List<String> all = new ArrayList<>();
            String shortName = null;
            String longName = null;
            for (String n : names.split(",")) {
                String name = n.strip();
                all.add(name);
                if (name.startsWith("--")) {
                    longName = longName == null ? name.substring(2) : longName;
                } else if (name.startsWith("-")) {
                    shortName = shortName == null ? name.substring(1) : shortName;
                } else {
                    throw new IllegalArgumentException("option name '" + name + "' must start with - or --");
                }
            }
            String text = defaultValue == null ? description : description.replace("${DEFAULT-VALUE}", defaultValue);
            Option.Builder b = Option.builder(shortName).longOpt(longName).desc(text);
            if (label != null) {
                b.hasArg().argName(label);
            }
            return new Decl(b.get(), List.copyOf(all), String.join(", ", all), defaultValue, label != null, repeatable, apply,
                    flag);
        }
    }

    /**
     * Parses {@code args} into {@code command} and runs it: {@code --help} and {@code --version} print
     * and return 0; a usage error prints one sentence (and where the help is) and returns 2; a failure
     * the command does not handle is printed with its stack trace and returns 1.
     */
    static int execute(Command command, String... args) {
        int parsed = parse(command, args);
        if (parsed != PARSED) {
            return parsed;
        }
        try {
            return command.call();
        } catch (Exception e) {
            command.err.println("weft " + command.name() + ": failed: " + e);
            e.printStackTrace(command.err);
            return 1;
        }
    }

    /** What {@link #parse} returns when the options are set and the command is to run. */
    static final int PARSED = -1;

    /**
     * Sets {@code command}'s options from {@code args} without running it: {@link #PARSED}, or the exit
     * code when there is nothing to run (0 after printing the help or the version, 2 after a usage error).
     */
    static int parse(Command command, String... args) {
        Spec spec = new Spec();
        command.declare(spec);
        String prefix = "weft " + command.name() + ": ";
        Parser parser = Parser.of(spec);
        CommandLine line;
        try {
            line = DefaultParser.builder().setAllowPartialMatching(false).get().parse(parser.options, args);
        } catch (MissingArgumentException e) {
            Option o = e.getOption();
            return usageError(command, prefix + (o.getLongOpt() != null ? "--" + o.getLongOpt() : "-" + o.getOpt())
                    + " needs a value");
        } catch (UnrecognizedOptionException e) {
            return usageError(command, prefix + "unknown option " + e.getOption());
        } catch (ParseException e) {
            return usageError(command, prefix + e.getMessage());
        }
        if (parser.help != null && line.hasOption(parser.help)) {
            printHelp(command, spec, command.out);
            return 0;
        }
        if (parser.version != null && line.hasOption(parser.version)) {
            command.out.println(VERSION);
            return 0;
        }
        try {
            List<Decl> given = new ArrayList<>(); // in command-line order: the last of --x / --no-x wins
            List<String> values = new ArrayList<>();
            List<String> typed = new ArrayList<>(); // the name as the user wrote it, for the messages
            for (Option o : line.getOptions()) {
                Decl d = parser.byOption.get(parser.options.getOption(o.getOpt() != null ? o.getOpt() : o.getLongOpt()));
                String name = o.getOpt() != null ? "-" + o.getOpt() : "--" + o.getLongOpt();
                if (!d.repeatable && d.takesValue && given.contains(d)) {
                    throw new BadValue(name + " was given "
                            + (given.stream().filter(d::equals).count() + 1) + " times; give it once");
                }
                given.add(d);
                values.add(d.takesValue ? o.getValue() : null);
                typed.add(name);
            }
            for (Decl d : spec.decls) {
                if (d.defaultValue != null && !given.contains(d)) {
                    apply(d, d.defaultValue, d.names.getFirst());
                }
            }
            for (int i = 0; i < given.size(); i++) {
                Decl d = given.get(i);
                if (d.flag != null) {
                    d.flag.run();
                } else {
                    apply(d, values.get(i), typed.get(i));
                }
            }
            List<String> rest = line.getArgList();
            if (spec.positionals == null && !rest.isEmpty()) {
                throw new BadValue("unexpected argument" + (rest.size() > 1 ? "s " : " ") + String.join(" ", rest)
                        + " (this command takes options only)");
            }
            if (spec.positionals != null) {
                if (rest.size() < spec.positionalMin) {
                    throw new BadValue("missing " + spec.positionalLabel + " (" + spec.positionalDescription + ")");
                }
                if (rest.size() > spec.positionalMax) {
                    throw new BadValue("expected at most " + spec.positionalMax + " " + spec.positionalLabel + ", got "
                            + rest.size() + ": " + String.join(" ", rest));
                }
                spec.positionals.accept(List.copyOf(rest));
            }
        } catch (BadValue e) {
            return usageError(command, prefix + e.getMessage());
        }
        return PARSED;
    }

    /**
     * What Commons CLI parses with: one {@link Option} per name of each declaration (so that
     * {@code --classpath}, {@code --class-path} and {@code -cp} are one option), and the standard
     * {@code -h/--help} and {@code -V/--version} unless the command uses a name of theirs
     * ({@code weft new --version}); the help shows the same standard options.
     */
    private record Parser(Options options, Map<Option, Decl> byOption, Option help, Option version) {
        static Parser of(Spec spec) {
            Options options = new Options();
            Map<Option, Decl> byOption = new HashMap<>();
            for (Decl d : spec.decls) {
                for (String name : d.names) {
                    Option o = Option.builder(name.startsWith("--") ? null : name.substring(1))
                            .longOpt(name.startsWith("--") ? name.substring(2) : null).hasArg(d.takesValue).get();
                    options.addOption(o);
                    byOption.put(o, d);
                }
            }
            Option help = standard(options, "h", "help", "Show this help and exit.");
            Option version = standard(options, "V", "version", "Print the version and exit.");
            for (Option o : new Option[] {help, version}) {
                if (o != null) {
                    options.addOption(o);
                }
            }
            return new Parser(options, byOption, help, version);
        }
    }

    /** The standard option {@code -SHORT, --LONG}, without the names {@code options} already has; null if none is left. */
    private static Option standard(Options options, String shortName, String longName, String description) {
        boolean shortFree = !options.hasShortOption(shortName);
        boolean longFree = !options.hasLongOption(longName);
        if (!shortFree && !longFree) {
            return null;
        }
        return Option.builder(shortFree ? shortName : null).longOpt(longFree ? longName : null).desc(description).get();
    }

    private static void apply(Decl d, String value, String name) {
        try {
            d.apply.accept(value);
        } catch (IllegalArgumentException e) { // the converters' messages quote the value
            throw new BadValue("invalid value for " + name + ": " + e.getMessage());
        }
    }

    private static int usageError(Command command, String sentence) {
        command.err.println(sentence);
        command.err.println("(see 'weft " + command.name() + " --help')");
        return 2;
    }

    /** The command's help: usage line, description, options, exit codes. */
    static void printHelp(Command command, PrintStream to) {
        Spec spec = new Spec();
        command.declare(spec);
        printHelp(command, spec, to);
    }

    private static void printHelp(Command command, Spec spec, PrintStream to) {
        StringBuilder sb = new StringBuilder();
        TextHelpAppendable text = new TextHelpAppendable(sb);
        text.setMaxWidth(WIDTH);
        text.setIndent(0);
        text.setLeftPad(0);
        try {
            String usage = "Usage: weft " + command.name() + " [OPTIONS]";
            if (spec.positionals != null) {
                String label = spec.positionalMax > 1 ? spec.positionalLabel + "..." : spec.positionalLabel;
                usage += " " + (spec.positionalMin == 0 ? "[" + label + "]" : label);
            }
            text.appendParagraph(usage);
            for (String p : command.description()) {
                text.appendParagraph(p);
            }
            List<List<String>> rows = new ArrayList<>();
            if (spec.positionals != null) {
                rows.add(List.of(spec.positionalLabel, spec.positionalDescription));
            }
            HelpFormatter formatter = HelpFormatter.builder().setShowSince(false).setHelpAppendable(text).get();
            List<Option> shown = new ArrayList<>();
            for (Decl d : spec.decls) {
                if (d.display != null) {
                    shown.add(d.shown);
                }
            }
            Parser parser = Parser.of(spec);
            for (Option o : new Option[] {parser.help, parser.version}) {
                if (o != null) {
                    shown.add(o);
                }
            }
            Map<Option, Decl> decl = new HashMap<>();
            for (Decl d : spec.decls) {
                decl.put(d.shown, d);
            }
            for (Option o : shown) {
                Decl d = decl.get(o);
                String names = d != null ? d.display
                        : (o.getOpt() != null ? "-" + o.getOpt() : "") + (o.getOpt() != null && o.getLongOpt() != null ? ", " : "")
                                + (o.getLongOpt() != null ? "--" + o.getLongOpt() : "");
                rows.add(List.of(o.hasArg() ? names + " " + o.getArgName() : names, o.getDescription()));
            }
            TableDefinition table = formatter.getTableDefinition(shown);
            // the captions as paragraphs: Commons CLI centres a table's header row in its column
            text.appendParagraph("Options:");
            text.appendTable(TableDefinition.from(null, table.columnTextStyles(), List.of("", ""), rows));
            if (!command.exitCodes().isEmpty()) {
                List<List<String>> codes = new ArrayList<>();
                for (String c : command.exitCodes()) {
                    int colon = c.indexOf(':');
                    codes.add(List.of(c.substring(0, colon), c.substring(colon + 1)));
                }
                text.appendParagraph("Exit codes:");
                text.appendTable(TableDefinition.from(null, table.columnTextStyles(), List.of("", ""), codes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        to.print(tidy(sb));
        to.flush();
    }

    /** The help as printed: no trailing spaces (the table pads every cell), no run of blank lines. */
    static String tidy(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean blank = true; // no blank line at the top either
        for (String line : text.toString().split("\n", -1)) {
            String l = line.stripTrailing();
            if (l.isEmpty() && blank) {
                continue;
            }
            blank = l.isEmpty();
            out.append(l).append('\n');
        }
        int end = out.length();
        while (end > 1 && out.charAt(end - 1) == '\n' && out.charAt(end - 2) == '\n') {
            end--;
        }
        out.setLength(end);
        return out.toString();
    }
}
