// Run: java bench/java/GzipBombDecode.java  (ADR 0306: how fast a gzip bomb of zeros decodes; record uptime with it)
import java.io.*; import java.util.zip.*;
public class GzipBombDecode { public static void main(String[] a) throws Exception {
  ByteArrayOutputStream bo = new ByteArrayOutputStream();
  try (GZIPOutputStream g = new GZIPOutputStream(bo)) { byte[] z = new byte[1<<16]; for (int i = 0; i < 16384; i++) g.write(z); } // 1 GiB of zeros
  byte[] gz = bo.toByteArray();
  for (int r = 0; r < 3; r++) { long t0 = System.nanoTime(); long n = 0; byte[] buf = new byte[16384];
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192)) { for (int k; (k = in.read(buf)) >= 0;) n += k; }
    double s = (System.nanoTime() - t0) / 1e9; System.out.printf("compressed %d B -> %d B (ratio %.0f:1) decoded in %.2f s = %.2f GB/s%n", gz.length, n, (double) n / gz.length, s, n / s / 1e9); } } }
