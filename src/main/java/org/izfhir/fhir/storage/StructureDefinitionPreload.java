package org.izfhir.fhir.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Parses the FHIR R4 StructureDefinitions HAPI ships (every resource, data type and core extension:
 * about 2 s of XML parsing) on a thread of their own from the moment the application starts, while
 * the main thread reads the configuration and starts the database. HAPI keeps them once per JVM and
 * FHIR version, for every {@link DefaultProfileValidationSupport}. The first to need them is the
 * search parameter extractor's FHIRPath engine, and that bean waits here for the parse to end,
 * which gives it the parsed definitions (the wait orders the parse's writes before its reads).
 *
 * <p>Listens to the start through {@code META-INF/spring.factories}; waits as a bean post-processor.
 */
public final class StructureDefinitionPreload
        implements ApplicationListener<ApplicationStartingEvent>, BeanPostProcessor {

    private static final AtomicReference<FutureTask<Void>> PARSE = new AtomicReference<>();

    @Override
    public void onApplicationEvent(ApplicationStartingEvent event) {
        FutureTask<Void> parse = new FutureTask<>(() -> {
            new DefaultProfileValidationSupport(FhirContext.forR4Cached()).fetchAllStructureDefinitions();
            return null;
        });
        if (PARSE.compareAndSet(null, parse)) {
            Thread thread = new Thread(parse, "structure-definitions");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof ISearchParamExtractor) {
            awaitParse();
        }
        return bean;
    }

    /** Whether a parse began and ended. */
    static boolean parsed() {
        FutureTask<Void> parse = PARSE.get();
        return parse != null && parse.isDone();
    }

    private static void awaitParse() {
        FutureTask<Void> parse = PARSE.get();
        if (parse == null) {
            return;
        }
        try {
            parse.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // HAPI parses them again where they are needed, and reports there what fails
        }
    }
}
