package dev.agenda.notification.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.MimeMessage;

/**
 * Angus' SMTP transport with a {@link CommitPoint} between the message content and the end-of-data mark, which the
 * commit point itself writes (at the moment it chooses) before the reply is read.
 * <p>
 * Angus keeps the tail of the content in its socket buffer until it writes the final "." (its SMTPOutputStream
 * ignores flush() on purpose), so the buffer is flushed here first: when the commit point runs, every byte but the
 * terminating "CRLF.CRLF" is with the kernel (and, a killed process's socket still delivering what was written to
 * it, with the server), and after it only five bytes remain to write. The buffer is a private field of the
 * transport: it is reached once, through a VarHandle, and a missing field fails at class initialisation (so at the
 * first email, and in the tests), never silently.
 */
final class CommittingSmtpTransport extends SMTPTransport {

    private static final VarHandle SERVER_OUTPUT;

    static {
        try {
            SERVER_OUTPUT = MethodHandles.privateLookupIn(SMTPTransport.class, MethodHandles.lookup())
                    .findVarHandle(SMTPTransport.class, "serverOutput", OutputStream.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SMTPOutputStream content;
    private CommitPoint commitPoint;

    CommittingSmtpTransport(Session session, URLName url) {
        super(session, url);
    }

    /**
     * Sends one message; {@code commitPoint} runs between its content and its end-of-data mark.
     *
     * @throws MessagingException as {@link #sendMessage}; when the commit point failed, its cause chain holds a
     *                            {@link CommitAborted} and the connection has been dropped without the mark
     */
    synchronized void send(MimeMessage message, CommitPoint commitPoint) throws MessagingException {
        this.commitPoint = commitPoint;
        try {
            sendMessage(message, message.getAllRecipients());
        } finally {
            this.commitPoint = null;
            this.content = null;
        }
    }

    @Override
    protected synchronized OutputStream data() throws MessagingException {
        OutputStream stream = super.data();
        content = (SMTPOutputStream) stream;
        return stream;
    }

    @Override
    protected synchronized void finishData() throws IOException, MessagingException {
        content.ensureAtBOL();
        ((OutputStream) SERVER_OUTPUT.get(this)).flush();
        if (commitPoint == null) {
            super.finishData();
            return;
        }
        EndOfDataWriter mark = new EndOfDataWriter();
        try {
            commitPoint.reached(mark);
        } catch (Exception e) {
            if (!mark.ran) {
                // An IOException: Angus then closes the socket without a QUIT (which the server would read as one
                // more line of data) and without the end-of-data mark, so the server discards the message.
                throw new CommitAborted(e);
            }
            throw new IllegalStateException("a commit point may not fail after ending the data", e);
        }
        if (!mark.ran) {
            throw new CommitAborted(new IllegalStateException("the commit point did not end the data"));
        }
        if (mark.failure != null) {
            throw mark.failure;
        }
        int code = readServerResponse();
        if (code != 250) {
            throw new SMTPSendFailedException(".", code, getLastServerResponse(), null, null, null, null);
        }
    }

    /** Writes "." (the CRLF before it is already out, see ensureAtBOL) once, keeping a failure for later. */
    private final class EndOfDataWriter implements CommitPoint.EndOfData {
        private boolean ran;
        private MessagingException failure;

        @Override
        public void write() {
            if (ran) {
                return;
            }
            ran = true;
            try {
                sendCommand(".");
            } catch (MessagingException e) {
                failure = e;
            }
        }
    }

    /** The commit point failed: the message was abandoned before its end-of-data mark. */
    static final class CommitAborted extends IOException {
        CommitAborted(Throwable cause) {
            super("commit point failed, message abandoned before its end of data: " + cause, cause);
        }
    }
}
