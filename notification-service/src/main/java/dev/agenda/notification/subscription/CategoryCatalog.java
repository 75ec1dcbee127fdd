package dev.agenda.notification.subscription;

import java.util.List;

/** Categories people can choose from on the preferences page: those of the events seen so far. */
public interface CategoryCatalog {

    List<String> categories();
}
