package dev.agenda.notification.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where a mailto unsubscribe request may carry its token, as mail clients send it. */
class UnsubscribeRequestsTest {

    /** The shape of a LinkTokens token: base64url payload, dot, base64url signature. */
    private static final String TOKEN = "AQ3xK2rOT0mQm7cPq8wZ1k0AAAAAAAAAAA.q0vP5Q2yq1r2l4Xb9-c_Ue3n8aGkGJm0oI7W1c2d3e4";
    private static final String OTHER = "AZZxK2rOT0mQm7cPq8wZ1k0AAAAAAAAAAA.z0vP5Q2yq1r2l4Xb9-c_Ue3n8aGkGJm0oI7W1c2d3e4";

    @Test
    void theSubjectTheMailtoOffers() {
        assertThat(UnsubscribeRequests.candidates("unsubscribe " + TOKEN, null)).containsExactly(TOKEN);
    }

    @Test
    void caseSpacesAndReplyOrForwardPrefixesAreTolerated() {
        assertThat(UnsubscribeRequests.candidates("  UNSUBSCRIBE \t " + TOKEN + "  ", null)).containsExactly(TOKEN);
        assertThat(UnsubscribeRequests.candidates("Re: Fwd: Unsubscribe " + TOKEN, null)).containsExactly(TOKEN);
        assertThat(UnsubscribeRequests.candidates("TR :Re:unsubscribe " + TOKEN, null)).containsExactly(TOKEN);
        assertThat(UnsubscribeRequests.candidates("[Agenda] unsubscribe " + TOKEN + " (merci)", null))
                .containsExactly(TOKEN);
    }

    @Test
    void aMailtoEncodingLeftInPlaceIsTolerated() {
        assertThat(UnsubscribeRequests.candidates("unsubscribe%20" + TOKEN, null)).containsExactly(TOKEN);
        assertThat(UnsubscribeRequests.candidates("unsubscribe+" + TOKEN, null)).containsExactly(TOKEN);
    }

    @Test
    void theTokenIsTakenWhole() {
        // Neither a longer word that ends in "unsubscribe", nor a token cut short or run into other characters.
        assertThat(UnsubscribeRequests.candidates("resubscribe " + TOKEN, null)).isEmpty();
        assertThat(UnsubscribeRequests.candidates("nounsubscribe " + TOKEN, null)).isEmpty();
        assertThat(UnsubscribeRequests.candidates("unsubscribe " + TOKEN + ".extra", null)).isEmpty();
        assertThat(UnsubscribeRequests.candidates("unsubscribe " + TOKEN + "/x", null)).containsExactly(TOKEN);
    }

    @Test
    void noTokenNoCandidate() {
        assertThat(UnsubscribeRequests.candidates(null, null)).isEmpty();
        assertThat(UnsubscribeRequests.candidates("unsubscribe", "Please unsubscribe me.")).isEmpty();
        assertThat(UnsubscribeRequests.candidates("unsubscribe me", "unsubscribe\n")).isEmpty();
        assertThat(UnsubscribeRequests.candidates(TOKEN, null)).as("a bare token is accepted in the body only")
                .isEmpty();
    }

    @Test
    void theTokenInTheFirstLinesOfTheBody() {
        assertThat(UnsubscribeRequests.candidates("", "\r\nunsubscribe " + TOKEN + "\r\n\r\n-- \r\nAlice\r\n"))
                .containsExactly(TOKEN);
        assertThat(UnsubscribeRequests.candidates(null, "Bonjour,\n\n  " + TOKEN + "  \nMerci")).containsExactly(TOKEN);
        // A quoted request (a reply to one's own request, say) still says the same thing.
        assertThat(UnsubscribeRequests.candidates(null, "> unsubscribe " + TOKEN)).containsExactly(TOKEN);
    }

    @Test
    void onlyTheFirstLinesOfTheBodyAreRead() {
        String filler = "ligne\n".repeat(UnsubscribeRequests.BODY_LINES);
        assertThat(UnsubscribeRequests.candidates(null, filler + "unsubscribe " + TOKEN)).isEmpty();
        // Blank lines do not count.
        assertThat(UnsubscribeRequests.candidates(null, "\n\n\n\n\n\n\n\n\n\n\n\nunsubscribe " + TOKEN))
                .containsExactly(TOKEN);
    }

    @Test
    void subjectFirstThenBodyAtMostAFew() {
        assertThat(UnsubscribeRequests.candidates("unsubscribe " + TOKEN, "unsubscribe " + OTHER + "\n" + TOKEN))
                .containsExactly(TOKEN, OTHER);
        String many = "unsubscribe " + TOKEN.replace('A', 'B') + "\n" + "unsubscribe " + TOKEN.replace('A', 'C')
                + "\n" + "unsubscribe " + TOKEN.replace('A', 'D') + "\n" + "unsubscribe " + TOKEN;
        assertThat(UnsubscribeRequests.candidates(null, many)).hasSize(UnsubscribeRequests.MAX_CANDIDATES)
                .doesNotContain(TOKEN);
    }

    /** A request from a client that sends HTML only: its text, one line per block, read as a text body is. */
    @Test
    void theTokenInTheTextOfAnHtmlBody() {
        String paragraph = UnsubscribeRequests.textOfHtml("<html><head><style>p{color:red}</style></head><body>"
                + "<div dir=\"ltr\"><p>Unsubscribe&nbsp;<b>" + TOKEN + "</b></p><p>Merci</p></div></body></html>");
        assertThat(UnsubscribeRequests.candidates(null, paragraph)).containsExactly(TOKEN);
        assertThat(paragraph).doesNotContain("color");

        // The token alone on its line: a line break is a line, as in a text body.
        String alone = UnsubscribeRequests.textOfHtml("Bonjour,<br>" + TOKEN + "<br>-- <br>Alice");
        assertThat(alone.lines()).contains(TOKEN);
        assertThat(UnsubscribeRequests.candidates(null, alone)).containsExactly(TOKEN);

        // Run into other words on one line, a bare token is not a request.
        assertThat(UnsubscribeRequests.candidates(null, UnsubscribeRequests.textOfHtml("<p>voir " + TOKEN + "</p>")))
                .isEmpty();
        // Only the first lines, as in a text body: a token far below in a quoted thread is not read.
        StringBuilder longThread = new StringBuilder("<p>Bonjour</p>");
        for (int i = 0; i < UnsubscribeRequests.BODY_LINES; i++) {
            longThread.append("<div>ligne ").append(i).append("</div>");
        }
        longThread.append("<blockquote>unsubscribe ").append(TOKEN).append("</blockquote>");
        assertThat(UnsubscribeRequests.candidates(null, UnsubscribeRequests.textOfHtml(longThread.toString())))
                .isEmpty();
    }
}
