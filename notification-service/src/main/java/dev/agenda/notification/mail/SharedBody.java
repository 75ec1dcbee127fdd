package dev.agenda.notification.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.angus.mail.util.QPEncoderStream;

/**
 * A body rendered once for many emails: fixed segments with per-recipient values (the links) between them. Its
 * quoted-printable form is built from segments encoded once (a 20 KB announcement is then encoded once per event,
 * not once per recipient) and values encoded per recipient, joined by soft line breaks ("=" CRLF, which decodes to
 * nothing): every piece starts at column 0 and its lines stay below 76 characters, so the joined text is valid
 * quoted-printable and decodes to exactly the filled-in text.
 */
final class SharedBody {

    /** Below RFC 2045's 76, leaving room for the "=" of the soft break that follows a piece. */
    private static final int LINE = 72;
    private static final byte[] SOFT_BREAK = "=\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<String> segments;
    private final List<String> marks;
    private volatile List<byte[]> encodedSegments;

    /** Splits {@code rendered} at every occurrence of any of {@code marks}. */
    SharedBody(String rendered, List<String> marks) {
        List<String> parts = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        int from = 0;
        while (true) {
            int next = -1;
            String found = null;
            for (String mark : marks) {
                int at = rendered.indexOf(mark, from);
                if (at >= 0 && (next < 0 || at < next)) {
                    next = at;
                    found = mark;
                }
            }
            if (found == null) {
                parts.add(rendered.substring(from));
                break;
            }
            parts.add(rendered.substring(from, next));
            gaps.add(found);
            from = next + found.length();
        }
        this.segments = List.copyOf(parts);
        this.marks = List.copyOf(gaps);
    }

    String fill(Map<String, String> values) {
        StringBuilder text = new StringBuilder(segments.get(0));
        for (int i = 0; i < marks.size(); i++) {
            text.append(values.get(marks.get(i))).append(segments.get(i + 1));
        }
        return text.toString();
    }

    /** The quoted-printable form of {@link #fill}, UTF-8. */
    byte[] encode(Map<String, String> values) {
        List<byte[]> encoded = encodedSegments;
        if (encoded == null) {
            encoded = segments.stream().map(SharedBody::qp).toList();
            encodedSegments = encoded;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.stream().mapToInt(b -> b.length).sum() + 512);
        byte[] last = encoded.get(0);
        out.writeBytes(last);
        for (int i = 0; i < marks.size(); i++) {
            for (byte[] piece : List.of(qp(values.get(marks.get(i))), encoded.get(i + 1))) {
                if (!endsWithLineBreak(last)) {
                    out.writeBytes(SOFT_BREAK);
                }
                out.writeBytes(piece);
                last = piece;
            }
        }
        return out.toByteArray();
    }

    /** An empty piece counts as ending a line only if nothing precedes it, which is never the case after one. */
    private static boolean endsWithLineBreak(byte[] piece) {
        return piece.length >= 2 && piece[piece.length - 2] == '\r' && piece[piece.length - 1] == '\n';
    }

    private static byte[] qp(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + text.length() / 8);
        try (QPEncoderStream qp = new QPEncoderStream(out, LINE)) {
            qp.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
