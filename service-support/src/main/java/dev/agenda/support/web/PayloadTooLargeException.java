package dev.agenda.support.web;

import java.io.IOException;

/** The request body is larger than allowed; raised while it is being read (chunked bodies have no length). */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes.");
    }
}
