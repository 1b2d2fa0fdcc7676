package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    @Test
    void oneLinePerRecordWithEscapes() {
        LogRecord r = new LogRecord(Level.WARNING, "said \"hi\"\nand left");
        r.setLoggerName("svc");
        String line = formatter.format(r);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        assertTrue(line.contains("\"level\":\"WARN\",\"logger\":\"svc\""), line);
        assertTrue(line.contains("\"msg\":\"said \\\"hi\\\"\\nand left\""), line);
    }

    @Test
    void aMapParameterBecomesFields() {
        LogRecord r = new LogRecord(Level.INFO, "job done");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("job", 7);
        fields.put("url", "http://x/");
        r.setParameters(new Object[] {fields});
        String line = formatter.format(r);
        assertTrue(line.contains("\"msg\":\"job done\",\"job\":7,\"url\":\"http://x/\"}"), line);
    }

    @Test
    void anExceptionBecomesTheErrorField() {
        LogRecord r = new LogRecord(Level.SEVERE, "boom");
        r.setThrown(new IllegalStateException("bad\tstate"));
        String line = formatter.format(r);
        assertTrue(line.contains("\"level\":\"ERROR\""), line);
        assertTrue(line.contains("\"error\":\"java.lang.IllegalStateException: bad\\tstate\\n\\tat "), line);
        assertEquals(1, line.lines().count());
    }
}
