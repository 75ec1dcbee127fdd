package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * WCAG 2.1 AA contrast of the site's stylesheet, computed from its colours: text 4.5:1 against its own background
 * (1.4.3), and the focus outline 3:1 against the background it is drawn on (1.4.11, 2.4.7), including the dark
 * « encadré noir » blocks of the corpus (25 pages, most with links).
 */
class StylesheetContrastTest {

    private static final String DARK_BLOCK = "#1e1e1e";

    record Rule(List<String> selectors, Map<String, String> declarations) {
    }

    @Test
    void everyRuleWithTextAndBackgroundColoursHasAtLeast4_5To1() throws IOException {
        List<Rule> rules = rules();
        int checked = 0;
        for (Rule rule : rules) {
            String color = rule.declarations().get("color");
            String background = rule.declarations().getOrDefault("background-color",
                    rule.declarations().get("background"));
            if (color != null && background != null && background.matches("#[0-9a-fA-F]{6}")) {
                assertThat(contrast(color, background)).as("%s", rule.selectors()).isGreaterThanOrEqualTo(4.5);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    @Test
    void focusIsVisibleOnTheDarkBlocksToo() throws IOException {
        List<Rule> rules = rules();
        String outline = outlineColour(rules, "a:focus");
        assertThat(outline).isNotNull();
        assertThat(contrast(outline, "#ffffff")).isGreaterThanOrEqualTo(3);
        // The default outline (the accent, dark blue) is 1.1:1 on the black blocks: invisible there.
        String onDark = outlineColour(rules, ".noir a:focus");
        assertThat(onDark).as("outline colour of a link in a dark block").isNotNull();
        assertThat(contrast(onDark, DARK_BLOCK)).isGreaterThanOrEqualTo(3);
    }

    /** The outline colour of the last rule naming that selector, as the cascade would pick among equals. */
    private static String outlineColour(List<Rule> rules, String selector) {
        String colour = null;
        for (Rule rule : rules) {
            if (rule.selectors().contains(selector)) {
                String value = rule.declarations().getOrDefault("outline-color", rule.declarations().get("outline"));
                Matcher hex = Pattern.compile("#[0-9a-fA-F]{6}").matcher(value == null ? "" : value);
                if (hex.find()) {
                    colour = hex.group();
                }
            }
        }
        return colour;
    }

    private static List<Rule> rules() throws IOException {
        String css;
        try (InputStream in = StylesheetContrastTest.class.getResourceAsStream("/site-assets/agenda.css")) {
            css = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?s)/\\*.*?\\*/", "");
        }
        // Flattened: the media query's own braces are dropped, its rules read like the others.
        css = css.replaceAll("@media[^{]*\\{", "");
        Map<String, String> variables = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        Matcher rule = Pattern.compile("([^{}]+)\\{([^{}]*)\\}").matcher(css);
        while (rule.find()) {
            Map<String, String> declarations = new LinkedHashMap<>();
            for (String declaration : rule.group(2).split(";")) {
                int colon = declaration.indexOf(':');
                if (colon > 0) {
                    declarations.put(declaration.substring(0, colon).strip(), declaration.substring(colon + 1).strip());
                }
            }
            List<String> selectors = List.of(rule.group(1).strip().split("\\s*,\\s*"));
            if (selectors.contains(":root")) {
                declarations.forEach((k, v) -> variables.put(k, v));
            }
            declarations.replaceAll((k, v) -> resolve(v, variables));
            rules.add(new Rule(selectors, declarations));
        }
        return rules;
    }

    private static String resolve(String value, Map<String, String> variables) {
        Matcher var = Pattern.compile("var\\((--[a-z-]+)\\)").matcher(value);
        StringBuilder out = new StringBuilder();
        while (var.find()) {
            var.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(var.group(1), var.group())));
        }
        var.appendTail(out);
        String resolved = out.toString();
        return resolved.equals("#fff") ? "#ffffff" : resolved;
    }

    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }
}
