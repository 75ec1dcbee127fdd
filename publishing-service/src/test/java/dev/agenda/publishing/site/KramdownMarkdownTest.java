package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** kramdown attribute lists as the corpus uses them, read the way kramdown (Jekyll's renderer) reads them. */
class KramdownMarkdownTest {

    private final KramdownMarkdown markdown = new KramdownMarkdown();

    private Document render(String source) {
        return Jsoup.parseBodyFragment(markdown.toHtml(source));
    }

    @Test
    void aListAfterALinkSetsTheLinksAttributes() {
        Document html = render("Voir [Etalab](https://www.etalab.gouv.fr/){:target=\"_blank\"}, et **[DS](/ds){:target=\"blank\"}**.");
        assertThat(html.select("a[href=https://www.etalab.gouv.fr/]").attr("target")).isEqualTo("_blank");
        assertThat(html.select("strong a").attr("target")).isEqualTo("blank");
        assertThat(html.text()).isEqualTo("Voir Etalab, et DS.");
    }

    @Test
    void aListLineSetsTheAttributesOfTheBlockItEnds() {
        Document html = render("""
                **Au programme :**
                {: .text-center}
                * un
                * deux

                > Une citation.
                > {: .citation}
                > Son auteur
                > {: .auteur-citation}
                """);
        assertThat(html.select("p.text-center").text()).isEqualTo("Au programme :");
        assertThat(html.select("ul li")).hasSize(2);
        assertThat(html.select("blockquote p.citation").text()).isEqualTo("Une citation.");
        assertThat(html.select("blockquote p.auteur-citation").text()).isEqualTo("Son auteur");
        assertThat(html.text()).doesNotContain("{:");
    }

    @Test
    void aListAloneAfterABlockquoteOrABlankLineSetsTheAttributesOfTheBlockBefore() {
        Document html = render("""
                > #### Inscrivez-vous
                >
                > {: .margin-top-1 .text-center}
                {: .encadre role="presentation" #inscription }
                """);
        assertThat(html.select("blockquote.encadre[role=presentation]#inscription")).hasSize(1);
        assertThat(html.select("blockquote h4.margin-top-1.text-center").text()).isEqualTo("Inscrivez-vous");
        assertThat(html.select("p")).isEmpty();
    }

    @Test
    void aListAfterBrokenLinkSyntaxIsDroppedAndRawHtmlIsLeftAlone() {
        Document html = render("""
                Démarches](https://www.demarches-simplifiees.fr/){:target="_blank"} de la DINSIC.

                <section>
                > {: .text-center}
                >
                </section>
                """);
        assertThat(html.select("p").first().text())
                .isEqualTo("Démarches](https://www.demarches-simplifiees.fr/) de la DINSIC.");
        assertThat(html.select("section").text()).isEqualTo("> {: .text-center} >");
    }
}
