package dev.agenda.infra.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        List<String> command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--virtual-time-budget=" + virtualTimeMillis,
                "--dump-dom", url);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish loading " + url);
        }
        String dom = new String(out, StandardCharsets.UTF_8);
        if (!dom.contains("<html")) {
            throw new AssertionError("Chromium printed no DOM for " + url + ": " + dom);
        }
        return Jsoup.parse(dom);
    }
}
