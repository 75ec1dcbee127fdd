package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** Debian's Chromium, headless, loading one page and printing its DOM once the page's scripts have run. */
public final class HeadlessChromium {

    private static final String CHROMIUM = "/usr/bin/chromium";

    private HeadlessChromium() {
    }

    /**
     * The DOM of {@code url} after {@code virtualTimeMillis} of the page's virtual time (timers and promises run,
     * without waiting for them in real time).
     */
    public static Document dumpDom(String url, Path profile, int virtualTimeMillis)
            throws IOException, InterruptedException {
        assertThat(Path.of(CHROMIUM)).as("Chromium is needed (apt-get install -y chromium)").exists();
        List<String> command = List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
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
        assertThat(dom).as("DOM of %s", url).contains("<html");
        return Jsoup.parse(dom);
    }
}
