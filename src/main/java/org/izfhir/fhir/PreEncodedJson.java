package org.izfhir.fhir;

import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Searchsets written from resources encoded once. A served copy of a stored record's resource is
 * marked with its original ({@link #mark}); when the server answers with a Bundle in plain JSON (no
 * pretty print, {@code _summary} or {@code _elements}), each marked entry's resource is taken as
 * text from a cache keyed by the original (encoded by HAPI's response parser the first time) and
 * HAPI writes the rest of the Bundle as usual: headers, compression and all. Stored records are
 * immutable, so a cached text is never stale; a record refreshed from the registries is a new set
 * of originals.
 *
 * <p>Hand-written where HAPI has no hook for it: encoding the resources of a consolidated
 * searchset was the largest cost of answering from a stored record (about 30% of the server's CPU
 * under load, JFR). The bytes are HAPI's own ({@code PreEncodedJsonTest} compares them).
 */
@Component
public class PreEncodedJson implements FhirInterceptor {

    private static final String ORIGINAL = PreEncodedJson.class.getName() + ".original";
    private static final String TEXTS = PreEncodedJson.class.getName() + ".texts";
    /** The elements of a Bundle entry after {@code resource}, in FHIR's order. */
    private static final Set<String> AFTER_RESOURCE = Set.of("search", "request", "response");
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * By identity of the original (a stored record's resources live as long as the record in
     * memory), at most 32 million characters of JSON (about 32 MB: the texts are Latin-1 mostly),
     * the most used first: some 700 people's whole records.
     */
    private final Cache<IBaseResource, Encoded> encoded = Caffeine.newBuilder().weakKeys()
            .maximumWeight(32_000_000L).weigher((IBaseResource original, Encoded text) -> text.json().length()).build();

    private record Encoded(String serverBase, String json) {
    }

    /** Marks a served copy with the stored resource it copies, unchanged: its JSON is the original's. */
    public static <T extends IBaseResource> T mark(T copy, IBaseResource original) {
        copy.setUserData(ORIGINAL, original);
        return copy;
    }

    /** Last of the outgoing-response hooks: the outcome entry and the audit trail have seen the Bundle whole. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = 1_000)
    public void takeEncodedEntries(RequestDetails request, ResponseDetails response) {
        if (response.getResponseResource() instanceof Bundle bundle && plainJson(request)) {
            String[] texts = take(bundle, original -> text(original, request));
            if (texts != null) {
                request.getUserData().put(TEXTS, texts);
            }
        }
    }

    /**
     * Takes the marked resources out of a Bundle's entries, leaving what HAPI is to write; returns
     * their texts in the order of the entries HAPI writes (null for one it writes whole), or null
     * when nothing was taken. Only an entry with a {@code fullUrl} gives its resource up, so that
     * no entry is left empty (HAPI would leave it out).
     */
    static String[] take(Bundle bundle, Function<IBaseResource, String> encode) {
        List<String> texts = new ArrayList<>(bundle.getEntry().size());
        boolean any = false;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource != null && entry.hasFullUrl() && resource.getUserData(ORIGINAL) instanceof IBaseResource original) {
                texts.add(encode.apply(original));
                entry.setResource(null);
                any = true;
            } else if (!entry.isEmpty()) {
                texts.add(null);
            }
        }
        return any ? texts.toArray(String[]::new) : null;
    }

    @Hook(Pointcut.SERVER_OUTGOING_WRITER_CREATED)
    public Writer spliceEncodedEntries(Writer writer, RequestDetails request) {
        return request.getUserData().get(TEXTS) instanceof String[] texts ? new Splicing(writer, texts) : writer;
    }

    /** Whether HAPI's response parser for this request writes what a plain JSON parser writes. */
    private static boolean plainJson(RequestDetails request) {
        if (request.getParameters().containsKey(Constants.PARAM_ELEMENTS)
                || request.getParameters().containsKey(Constants.PARAM_ELEMENTS + Constants.PARAM_ELEMENTS_EXCLUDE_MODIFIER)
                || RestfulServerUtils.prettyPrintResponse(request.getServer(), request)) {
            return false;
        }
        Set<SummaryEnum> summary = RestfulServerUtils.determineSummaryMode(request);
        return (summary.isEmpty() || summary.equals(Set.of(SummaryEnum.FALSE)))
                && RestfulServerUtils.determineResponseEncodingWithDefault(request).getEncoding() == EncodingEnum.JSON;
    }

    private String text(IBaseResource original, RequestDetails request) {
        String serverBase = request.getFhirServerBase();
        Encoded known = encoded.getIfPresent(original);
        if (known == null || !known.serverBase().equals(serverBase)) {
            known = new Encoded(serverBase, RestfulServerUtils.getNewParser(request.getFhirContext(), FhirVersionEnum.R4,
                    request).encodeResourceToString(original));
            encoded.put(original, known);
        }
        return known.json();
    }

    /** Takes what HAPI writes and, when it is done, writes it with the taken resources back in place. */
    private static final class Splicing extends Writer {

        private final Writer out;
        private final String[] texts;
        private final StringBuilder bundle = new StringBuilder(4096);

        Splicing(Writer out, String[] texts) {
            this.out = out;
            this.texts = texts;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            bundle.append(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            bundle.append(text, offset, offset + length);
        }

        @Override
        public void flush() {
            // everything is written at close, once the Bundle is complete
        }

        @Override
        public void close() throws IOException {
            try (out) {
                splice(bundle.toString(), texts, out);
            }
        }
    }

    /**
     * Writes a Bundle with each taken entry's resource where HAPI puts it: after {@code fullUrl},
     * before {@code search}, {@code request} and {@code response}. The Bundle's text is copied
     * verbatim; reading it only finds the insertion points.
     */
    static void splice(String bundle, String[] texts, Writer out) throws IOException {
        int copied = 0;
        try (var parser = JSON.createParser(bundle)) {
            int depth = 0;
            int entries = -1; // the depth of the "entry" array, while inside it
            int entry = -1;
            boolean pending = false;
            boolean fields = false;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                boolean inEntry = entries > 0 && depth == entries + 1;
                if (pending && inEntry && (token == JsonToken.END_OBJECT
                        || token == JsonToken.FIELD_NAME && AFTER_RESOURCE.contains(parser.currentName()))) {
                    int at = (int) parser.currentTokenLocation().getCharOffset();
                    out.write(bundle, copied, at - copied);
                    copied = at;
                    boolean before = token == JsonToken.FIELD_NAME;
                    out.write(!before && fields ? ",\"resource\":" : "\"resource\":");
                    out.write(texts[entry]);
                    if (before) {
                        out.write(',');
                    }
                    pending = false;
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (token == JsonToken.START_ARRAY && depth == 2 && "entry".equals(parser.currentName())) {
                            entries = depth;
                        } else if (token == JsonToken.START_OBJECT && entries > 0 && depth == entries + 1) {
                            entry++;
                            pending = texts[entry] != null;
                            fields = false;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (token == JsonToken.END_ARRAY && depth == entries) {
                            entries = -1;
                        }
                        depth--;
                    }
                    case FIELD_NAME -> {
                        if (inEntry) {
                            fields = true;
                            if (pending && "fullUrl".equals(parser.currentName())) {
                                parser.nextToken();
                                parser.finishToken(); // a string is read lazily: its end is known once read
                                int at = (int) parser.currentLocation().getCharOffset();
                                out.write(bundle, copied, at - copied);
                                copied = at;
                                out.write(",\"resource\":");
                                out.write(texts[entry]);
                                pending = false;
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        out.write(bundle, copied, bundle.length() - copied);
    }
}
