package dev.agenda.infra.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser's time limit holds whatever its processes do: shell scripts stand in for a Chromium whose child
 * outlives it and for one that hangs (the real one does neither on demand).
 */
class HeadlessChromiumTest {

    @TempDir
    Path dir;

    @Test
    void aChildThatOutlivesTheBrowserDoesNotHoldUpItsDom() throws Exception {
        Path pid = dir.resolve("child.pid");
        Path browser = script("""
                #!/bin/sh
                sleep 600 &
                echo $! > %s
                echo '<html><head><title>ok</title></head><body></body></html>'
                """.formatted(pid));
        try {
            Document dom = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> HeadlessChromium.dumpDom(browser, Duration.ofSeconds(60), "http://x/", dir.resolve("p"), 1));
            assertThat(dom.title()).isEqualTo("ok");
        } finally {
            kill(pid);
        }
    }

    @Test
    void aBrowserThatHangsFailsTheTestAtItsLimitAndIsStopped() throws Exception {
        Path pid = dir.resolve("browser.pid");
        Path browser = script("""
                #!/bin/sh
                echo $$ > %s
                echo 'starting' >&2
                exec sleep 600
                """.formatted(pid));
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                    () -> HeadlessChromium.dumpDom(browser, Duration.ofSeconds(2), "http://x/", dir.resolve("p"), 1))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("did not finish loading http://x/")
                    .hasMessageContaining("starting"));
            long browserPid = Long.parseLong(Files.readString(pid).trim());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(browserPid).map(p -> !p.isAlive()).orElse(true));
        } finally {
            kill(pid);
        }
    }

    private Path script(String text) throws Exception {
        Path script = dir.resolve("chromium.sh");
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static void kill(Path pid) throws Exception {
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
