package dev.agenda.infra.browser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jsoup.nodes.Element;

/**
 * axe-core (Deque's accessibility rules engine, the one most audit tools embed) run on a page in headless Chromium,
 * against WCAG 2.1 A and AA and axe's best practices. Contrast is computed on the rendered page, which no HTML check
 * can do. Needs the axe-core WebJar and jsoup on the caller's classpath.
 */
public final class AxeAudit {

    private static final String AXE = "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";
    /** Writes axe's violations into the page, where the dumped DOM shows them. */
    private static final String RUN = """
            <script>
            axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, rules: RULES_OFF})
              .then(function (r) { report(r.violations.map(function (v) {
                  return v.id + ' (' + v.help + '): ' + v.nodes.map(function (n) {
                    return n.target.join(' ') + ' = ' + n.html.replace(/\\s+/g, ' ').slice(0, 200); }).join(' | ');
                })); },
                    function (e) { report(['axe could not run: ' + e]); });
            function report(violations) {
              var out = document.createElement('pre');
              out.id = 'axe-violations';
              out.textContent = violations.join('\\n');
              document.body.appendChild(out);
            }
            </script>
            """;

    private AxeAudit() {
    }

    /** The page with axe and its run added at the end of its body (inline: it needs no server to be loaded from). */
    public static String withAudit(String html) {
        return withAudit(html, "{}");
    }

    /**
     * The same for the HTML part of an email. A mail client shows it inside its own page, which has the landmarks
     * and the level-one heading: the best practices that want them in every document are left out.
     */
    public static String withAuditOfEmail(String html) {
        return withAudit(html, "{'landmark-one-main': {enabled: false}, 'region': {enabled: false}, "
                + "'page-has-heading-one': {enabled: false}}");
    }

    private static String withAudit(String html, String rulesOff) {
        int end = html.lastIndexOf("</body>");
        if (end < 0) {
            throw new IllegalArgumentException("not a whole HTML page (no </body>)");
        }
        return html.substring(0, end) + "<script>" + axeSource() + "</script>"
                + RUN.replace("RULES_OFF", rulesOff) + html.substring(end);
    }

    /**
     * What axe finds wrong on the page at {@code url}, which must have been written with {@link #withAudit}: one line
     * per rule broken, with the elements that break it; empty when the page passes.
     */
    public static List<String> violations(String url, Path profile) throws IOException, InterruptedException {
        Element report = HeadlessChromium.dumpDom(url, profile, 20_000).getElementById("axe-violations");
        if (report == null) {
            throw new AssertionError("axe did not report on " + url + " (did the page leave, or fail to load?)");
        }
        return report.wholeText().isEmpty() ? List.of() : List.of(report.wholeText().split("\n"));
    }

    private static String axeSource() {
        try (InputStream in = AxeAudit.class.getResourceAsStream(AXE)) {
            if (in == null) {
                throw new IllegalStateException("axe-core's WebJar (org.webjars.npm:axe-core:4.6.3) is not on the "
                        + "classpath");
            }
            // A script element ends at the first "</script", whatever the JavaScript around it.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
