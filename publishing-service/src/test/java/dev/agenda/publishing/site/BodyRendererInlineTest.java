package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BodyRendererInlineTest {

    private final BodyRenderer renderer = new BodyRenderer(List.of("www.youtube.com"), "https://agenda.example");

    /** Letters, French punctuation and spaces, and every character the shortcut must leave to the parser. */
    private static final String ALPHABET = "abcdeéèàçôÉ ABZ0123456789.,;?()/%€«»'\"\u00a0\u202f-+=<>&*_[]`\\#!~|:@{}";

    @Test
    void thePlainTextShortcutGivesWhatTheFullRenderingGives() {
        Random random = new Random(7);
        int plain = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = 1 + random.nextInt(30); n > 0; n--) {
                // Mostly letters, so that plain texts are common; the rest anywhere in the alphabet.
                text.append(random.nextInt(4) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                        : ALPHABET.charAt(random.nextInt(12)));
            }
            String source = text.toString();
            if (source.isBlank() || !BodyRenderer.plainText(source)) {
                continue;
            }
            plain++;
            BodyRenderer.Html fast = renderer.renderInline(source, false);
            BodyRenderer.Html full = renderer.renderInlineFully(source, false);
            assertThat(fast.html()).as(source).isEqualTo(full.html());
            assertThat(fast.text()).as(source).isEqualTo(full.text());
        }
        assertThat(plain).isGreaterThan(1_000);
    }

    @Test
    void markupUrlsAndBlockStartsAreNotPlainText() {
        for (String source : List.of("<b>x</b>", "*x*", "a_b", "[x](y)", "https://example.org", "www.example.org",
                "ana@example.org", "- item", "1. item", "# titre", "> cité", "a\nb", "a  b", " a", "x &amp; y",
                "{: .c}")) {
            assertThat(BodyRenderer.plainText(source)).as(source).isFalse();
        }
        assertThat(BodyRenderer.plainText("Entrée gratuite dans la limite des places disponibles")).isTrue();
    }
}
