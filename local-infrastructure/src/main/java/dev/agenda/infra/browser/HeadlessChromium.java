package dev.agenda.infra.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Debian's Chromium, headless, loading one page and printing its DOM once the page's scripts have run: the tests'
 * real browser (XSS payloads, the accessibility audit). Needs jsoup on the caller's classpath.
 */
public final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** A page takes about 4 s, 6 s with the machine's two cores busy: this is for a browser that hangs. */
    private static final Duration LIMIT = Duration.ofSeconds(90);

    private HeadlessChromium() {
    }

    /**
     * The DOM of {@code url} after {@code virtualTimeMillis} of the page's virtual time (timers and promises run
     * without being waited for in real time). {@code profile} is an empty directory for the browser's profile.
     */
    public static Document dumpDom(String url, Path profile, int virtualTimeMillis)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("Chromium is needed at " + CHROMIUM + " (apt-get install -y chromium)");
        }
        return dumpDom(CHROMIUM, LIMIT, url, profile, virtualTimeMillis);
    }

    static Document dumpDom(Path chromium, Duration limit, String url, Path profile, int virtualTimeMillis)
            throws IOException, InterruptedException {
        List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--virtual-time-budget=" + virtualTimeMillis,
                "--dump-dom", url);
        // Into files, not pipes: reading a pipe to its end waited for every process holding it, the browser's
        // children included, so a browser that hung (or a child that outlived it) hung the build for good, and the
        // time limit below was never reached. The errors are kept to say why a page failed.
        Path out = Files.createTempFile("chromium-dom-", ".html");
        Path errors = Files.createTempFile("chromium-errors-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("Chromium did not finish loading " + url + " within " + limit + ": "
                        + tail(errors));
            }
            String dom = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            if (!dom.contains("<html")) {
                throw new AssertionError("Chromium printed no DOM for " + url + " (exit " + process.exitValue()
                        + "): " + dom + " " + tail(errors));
            }
            return Jsoup.parse(dom);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(errors);
        }
    }

    private static String tail(Path errors) throws IOException {
        String text = new String(Files.readAllBytes(errors), StandardCharsets.UTF_8);
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }
}
