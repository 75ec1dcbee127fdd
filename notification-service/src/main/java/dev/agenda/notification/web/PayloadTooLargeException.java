package dev.agenda.notification.web;

import java.io.IOException;

/** The request body is larger than allowed; raised while it is read (a chunked body has no declared length). */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes.");
    }
}
