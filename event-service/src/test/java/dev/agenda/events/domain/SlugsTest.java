package dev.agenda.events.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlugsTest {

    @Test
    void titlesAreFoldedToLowerCaseHyphenatedAscii() {
        assertThat(Slugs.slugify("Café de la transfo #1 « Comment insuffler une culture numérique ? »"))
                .isEqualTo("cafe-de-la-transfo-1-comment-insuffler-une-culture-numerique");
        assertThat(Slugs.slugify("L’État & l’œuvre — Ça marche !")).isEqualTo("l-etat-l-oeuvre-ca-marche");
        assertThat(Slugs.slugify("  --  ")).isEmpty();
    }

    @Test
    void slugsNeverHoldPathSeparatorsOrDotDot() {
        assertThat(Slugs.slugify("../../etc/passwd")).isEqualTo("etc-passwd");
        assertThat(Slugs.isValid("../x")).isFalse();
        assertThat(Slugs.isValid("a/b")).isFalse();
        assertThat(Slugs.isValid("a--b")).isFalse();
        assertThat(Slugs.isValid("-a")).isFalse();
        assertThat(Slugs.isValid("forum-2021")).isTrue();
    }

    @Test
    void longSlugsAreCutAtAWordBoundaryAndSuffixesStillFit() {
        String slug = Slugs.slugify("mot ".repeat(60));
        assertThat(slug.length()).isLessThanOrEqualTo(Slugs.MAX_LENGTH);
        assertThat(Slugs.isValid(slug)).isTrue();
        String suffixed = Slugs.withSuffix(slug, 12);
        assertThat(suffixed).endsWith("-12").hasSizeLessThanOrEqualTo(Slugs.MAX_LENGTH);
        assertThat(Slugs.isValid(suffixed)).isTrue();
    }

    @Test
    void jekyllFileNamesGiveTheirPermalinkSlug() {
        assertThat(Slugs.fromFileName("formation/design.markdown")).isEqualTo("design");
        assertThat(Slugs.fromFileName("guichet-<<-adoption-du-cloud-computing->>-webinaire-dinformation.markdown"))
                .isEqualTo("guichet-adoption-du-cloud-computing-webinaire-dinformation");
    }

    /** The publishing-service's Slugs.keyOf gives these same keys (its site's /agenda/type/<key>/ pages). */
    @Test
    void labelKeysGroupSpellingsAsTheSiteDoes() {
        assertThat(Slugs.labelKey("Café de la transfo")).isEqualTo("cafe-de-la-transfo");
        assertThat(Slugs.labelKey("  CAFÉ  de la Transfo !")).isEqualTo("cafe-de-la-transfo");
        assertThat(Slugs.labelKey("cafe-de-la-transfo")).isEqualTo("cafe-de-la-transfo");
        assertThat(Slugs.labelKey("Intelligence artificielle (IA)")).isEqualTo("intelligence-artificielle-ia");
        // Unlike slugify: œ is not a letter with a mark, and the site's key drops it.
        assertThat(Slugs.labelKey("Œuvre")).isEqualTo("uvre");
        assertThat(Slugs.labelKey("« »")).isEqualTo("autre");
        assertThat(Slugs.labelKey("a ".repeat(100))).hasSize(119).doesNotEndWith("-");
    }
}

