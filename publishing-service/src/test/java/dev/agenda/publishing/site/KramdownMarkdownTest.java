package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

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
    /**
     * Texts an editor (or a Jekyll file imported from elsewhere) can write, which the attribute-list patterns used to
     * read in time quadratic in their length: a body of "{:" then 150,000 spaces held the site's consumer for minutes
     * (every later change of the site waited behind it). Each renders at once now.
     */
    @Test
    void longTextsAroundAnUnfinishedAttributeListRenderAtOnce() {
        String spaces = " ".repeat(150_000);
        String word = "a".repeat(150_000);
        for (String body : new String[] {"Texte {:" + spaces + "x", "Texte {:" + word + "}", "[lien](/x){:" + word + "}",
                "[lien](/x){: " + "a-".repeat(75_000) + "}"}) {
            String html = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> markdown.toHtml(body),
                    () -> "rendering " + body.substring(0, 12) + "…");
            assertThat(html).startsWith("<p>");
        }
        // Attributes still read as before, keys after a boundary: a space, a quote closing a value, the list's start.
        Document html = render("[a](/a){:target=\"_blank\"rel='noopener' .c #i title=x}");
        assertThat(html.select("a").attr("target")).isEqualTo("_blank");
        assertThat(html.select("a").attr("rel")).isEqualTo("noopener");
        assertThat(html.select("a").attr("title")).isEqualTo("x");
        assertThat(html.select("a").hasClass("c")).isTrue();
    }

    /** kramdown ends a raw HTML block at its closing tag; CommonMark would carry on to the next blank line. */
    @Test
    void markdownRightAfterTheTagThatClosesAnHtmlBlockIsMarkdown() {
        Document html = render("""
                <section class="encadre">
                  <div>
                    <p>Un encadré</p>
                  </div>
                </section>
                > #### **Créez le service public de demain**
                > {: .text-center}
                {: .encadre role="presentation" }

                <h3 id="comment-participer">Comment participer ?</h3>
                **Accès libre et gratuit.**
                * Choisissez un recruteur
                * Connectez-vous
                """);
        assertThat(html.select("section.encadre div p").text()).isEqualTo("Un encadré");
        assertThat(html.select("blockquote.encadre[role=presentation] h4.text-center strong").text())
                .isEqualTo("Créez le service public de demain");
        assertThat(html.select("h3 + p strong").text()).isEqualTo("Accès libre et gratuit.");
        assertThat(html.select("ul li")).extracting(org.jsoup.nodes.Element::text)
                .containsExactly("Choisissez un recruteur", "Connectez-vous");
        assertThat(html.text()).doesNotContain("*").doesNotContain(">").doesNotContain("{:");
    }

    /** A line holding only a span-level tag starts a paragraph, as in kramdown, not a raw block up to a blank line. */
    @Test
    void aLineOfOneSpanLevelTagStartsAParagraphThatAListCanInterrupt() {
        Document html = render("""
                <h4><b>ANSSI</b></h4>
                <img src="/uploads/ANSSI.png" alt="" align="left">
                Trois missions, que sont :
                * la prévention ;
                * la défense.

                <br>
                <br>
                * **Capter l'attention**
                """);
        assertThat(html.select("h4 + p > img[src=/uploads/ANSSI.png][align=left]")).hasSize(1);
        assertThat(html.select("h4 + p").text()).isEqualTo("Trois missions, que sont :");
        assertThat(html.select("ul").first().select("li")).extracting(org.jsoup.nodes.Element::text)
                .containsExactly("la prévention ;", "la défense.");
        assertThat(html.select("p > br")).hasSize(2);
        assertThat(html.select("ul li strong").last().text()).isEqualTo("Capter l'attention");
        assertThat(html.text()).doesNotContain("*");
    }

    @Test
    void tagsInFencedCodeStayCodeAndPlaceholderCharactersInTheTextAreLeftAlone() {
        Document code = render("""
                ```
                </div>
                <br>
                * pas une liste
                ```
                """);
        assertThat(code.select("pre code").text()).isEqualTo("</div>\n<br>\n* pas une liste");
        assertThat(code.select("br, li")).isEmpty();

        // The text already holds the private-use characters the placeholders use: nothing is hidden nor replaced.
        Document text = render("\uE0000\uE001 et\n<br>\nsuite");
        assertThat(text.text()).contains("\uE0000\uE001 et");
    }

    /** kramdown: an attribute line right after a list item ends the list and sets the list's attributes. */
    @Test
    void aListLineRightAfterAListItemSetsTheListsAttributes() {
        Document html = render("Au programme :\n* **[14h]** Accueil\n* **[15h]** Ateliers\n{: .encadre}");
        assertThat(html.select("ul.encadre li")).hasSize(2);
        assertThat(html.select("ul.encadre li strong").first().text()).isEqualTo("[14h]");
        assertThat(html.text()).doesNotContain("{:");
        assertThat(html.select("li.encadre, li p.encadre")).isEmpty();
    }
}
