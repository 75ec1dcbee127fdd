package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The index is written by one JVM and compared, byte for byte, by the next (a restart skips unchanged files, a rebuild
 * replaces them): what it writes must not depend on the JVM. Map.of's order does, through a salt chosen at start-up,
 * so the same entry is written by several JVMs and must come out the same.
 */
class IndexJsonStabilityTest {

    /** Run in a child JVM: the index's type list of one event. */
    public static final class Probe {
        public static void main(String[] args) {
            Map<String, String> types = new LinkedHashMap<>();
            types.put("webinaire", "Webinaire");
            types.put("formation", "Formation");
            System.out.print(JsonText.of(SiteRenderer.keyLabels(types)));
        }
    }

    @Test
    void theSameEntryIsWrittenTheSameByEveryJvm() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Set<String> outputs = new HashSet<>();
        // Each JVM has one chance in two of ordering a two-entry Map.of either way: eight agree by chance once in 128.
        for (int run = 0; run < 8; run++) {
            Process child = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(out).isZero();
            outputs.add(out);
        }
        assertThat(outputs).containsExactly(
                "[{\"key\":\"webinaire\",\"label\":\"Webinaire\"},{\"key\":\"formation\",\"label\":\"Formation\"}]");
    }
}
