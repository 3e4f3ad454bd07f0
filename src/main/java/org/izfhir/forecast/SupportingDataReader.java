package org.izfhir.forecast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.izfhir.forecast.SupportingData.Age;
import org.izfhir.forecast.SupportingData.Antigen;
import org.izfhir.forecast.SupportingData.BirthDateImmunity;
import org.izfhir.forecast.SupportingData.ConditionType;
import org.izfhir.forecast.SupportingData.Contraindication;
import org.izfhir.forecast.SupportingData.CountLogic;
import org.izfhir.forecast.SupportingData.CvxAntigen;
import org.izfhir.forecast.SupportingData.Indication;
import org.izfhir.forecast.SupportingData.Interval;
import org.izfhir.forecast.SupportingData.LiveVirusConflict;
import org.izfhir.forecast.SupportingData.Period;
import org.izfhir.forecast.SupportingData.Series;
import org.izfhir.forecast.SupportingData.SeriesDose;
import org.izfhir.forecast.SupportingData.SeriesType;
import org.izfhir.forecast.SupportingData.Skip;
import org.izfhir.forecast.SupportingData.SkipCondition;
import org.izfhir.forecast.SupportingData.SkipContext;
import org.izfhir.forecast.SupportingData.SkipSet;
import org.izfhir.forecast.SupportingData.Vaccine;
import org.izfhir.forecast.SupportingData.VaccineGroup;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads CDC's CDSi supporting data XML (schedule file plus one file per antigen) with the JDK's
 * DOM parser into {@link SupportingData}. The antigens to read come from the schedule's vaccine
 * group map, so a new CDC release needs no code change.
 */
public final class SupportingDataReader {

    /** The release carried on the classpath. */
    public static final String CLASSPATH_FOLDER = "cdsi/supporting-data-4.64/";

    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter US = DateTimeFormatter.ofPattern("MM/dd/yyyy");

    @FunctionalInterface
    public interface Opener {
        InputStream open(String fileName) throws IOException;
    }

    private final Opener opener;
    private final DocumentBuilder builder;

    private SupportingDataReader(Opener opener) {
        this.opener = opener;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            this.builder = factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SupportingData fromClasspath() {
        ClassLoader loader = SupportingDataReader.class.getClassLoader();
        return new SupportingDataReader(name -> {
            InputStream in = loader.getResourceAsStream(CLASSPATH_FOLDER + name);
            if (in == null) {
                throw new IOException("missing supporting data file " + CLASSPATH_FOLDER + name);
            }
            return in;
        }).read();
    }

    public static SupportingData fromDirectory(Path folder) {
        return new SupportingDataReader(name -> Files.newInputStream(folder.resolve(name))).read();
    }

    private SupportingData read() {
        Element schedule = parse("ScheduleSupportingData.xml");

        Map<String, VaccineGroup> groups = new LinkedHashMap<>();
        Map<String, Boolean> fullGroup = new LinkedHashMap<>();
        for (Element g : children(child(schedule, "vaccineGroups"), "vaccineGroup")) {
            fullGroup.put(text(g, "name"), "Yes".equalsIgnoreCase(text(g, "administerFullVaccineGroup")));
        }
        for (Element m : children(child(schedule, "vaccineGroupToAntigenMap"), "vaccineGroupMap")) {
            String name = text(m, "name");
            List<String> antigens = children(m, "antigen").stream().map(e -> e.getTextContent().trim()).toList();
            groups.put(name, new VaccineGroup(name, fullGroup.getOrDefault(name, false), antigens));
        }

        Map<String, List<CvxAntigen>> cvxAntigens = new LinkedHashMap<>();
        for (Element m : children(child(schedule, "cvxToAntigenMap"), "cvxMap")) {
            cvxAntigens.put(text(m, "cvx"), children(m, "association").stream()
                    .map(a -> new CvxAntigen(text(a, "antigen"), age(a, "associationBeginAge"), age(a, "associationEndAge")))
                    .toList());
        }

        List<LiveVirusConflict> conflicts = children(child(schedule, "liveVirusConflicts"), "liveVirusConflict").stream()
                .map(c -> new LiveVirusConflict(text(child(c, "previous"), "cvx"), text(child(c, "current"), "cvx"),
                        age(c, "conflictBeginInterval"), age(c, "minConflictEndInterval"), age(c, "conflictEndInterval")))
                .toList();

        Map<String, String> observations = new LinkedHashMap<>();
        Map<String, Set<String>> byCodedValue = new HashMap<>();
        for (Element o : children(child(schedule, "observations"), "observation")) {
            String code = text(o, "observationCode");
            observations.put(code, text(o, "observationTitle"));
            for (Element value : children(child(o, "codedValues"), "codedValue")) {
                byCodedValue.computeIfAbsent(text(value, "codeSystem") + "|" + text(value, "code"),
                        k -> new TreeSet<>()).add(code);
            }
        }
        byCodedValue.replaceAll((k, codes) -> Set.copyOf(codes));

        Map<String, Antigen> antigens = new LinkedHashMap<>();
        groups.values().stream().flatMap(g -> g.antigens().stream()).distinct()
                .forEach(name -> antigens.put(name, antigen(name, parseAntigen(name))));

        return new SupportingData(Map.copyOf(antigens), Map.copyOf(groups), Map.copyOf(cvxAntigens),
                conflicts, Map.copyOf(observations), Map.copyOf(byCodedValue));
    }

    private Antigen antigen(String name, Element root) {
        Set<String> immunityCodes = new LinkedHashSet<>();
        BirthDateImmunity birthDate = null;
        Element immunity = child(root, "immunity");
        if (immunity != null) {
            children(immunity, "clinicalHistory").forEach(h -> immunityCodes.add(text(h, "guidelineCode")));
            for (Element b : children(immunity, "dateOfBirth")) {
                LocalDate date = date(text(b, "immunityBirthDate"));
                if (date != null) {
                    birthDate = new BirthDateImmunity(date, text(b, "birthCountry"), children(b, "exclusion").stream()
                            .map(e -> text(e, "exclusionCode")).collect(Collectors.toUnmodifiableSet()));
                }
            }
        }
        List<Contraindication> contraindications = new ArrayList<>();
        Element ci = child(root, "contraindications");
        if (ci != null) {
            for (Element c : children(child(ci, "vaccineGroup"), "contraindication")) {
                contraindications.add(new Contraindication(text(c, "observationCode"), text(c, "observationTitle"),
                        Set.of(), age(c, "beginAge"), age(c, "endAge")));
            }
            for (Element c : children(child(ci, "vaccine"), "contraindication")) {
                List<Element> vaccines = children(c, "contraindicatedVaccine");
                Element first = vaccines.isEmpty() ? null : vaccines.get(0);
                contraindications.add(new Contraindication(text(c, "observationCode"), text(c, "observationTitle"),
                        vaccines.stream().map(v -> text(v, "cvx")).collect(Collectors.toUnmodifiableSet()),
                        first == null ? null : age(first, "beginAge"), first == null ? null : age(first, "endAge")));
            }
        }
        List<Series> series = children(root, "series").stream().map(s -> series(name, s)).toList();
        return new Antigen(name, Set.copyOf(immunityCodes), birthDate, List.copyOf(contraindications), series);
    }

    private Series series(String antigen, Element s) {
        Element select = child(s, "selectSeries");
        String type = text(s, "seriesType");
        SeriesType seriesType = "Risk".equalsIgnoreCase(type) ? SeriesType.RISK
                : "Evaluation Only".equalsIgnoreCase(type) ? SeriesType.EVALUATION_ONLY : SeriesType.STANDARD;
        Set<String> genders = children(s, "requiredGender").stream().map(e -> e.getTextContent().trim())
                .filter(g -> !g.isEmpty()).map(g -> g.substring(0, 1).toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        String priority = text(select, "seriesPriority");
        String preference = text(select, "seriesPreference");
        List<Indication> indications = children(s, "indication").stream()
                .filter(i -> child(i, "observationCode") != null && text(child(i, "observationCode"), "code") != null)
                .map(i -> new Indication(text(child(i, "observationCode"), "code"), text(i, "description"),
                        age(i, "beginAge"), age(i, "endAge")))
                .toList();
        return new Series(text(s, "seriesName"), antigen, text(s, "targetDisease"), text(s, "vaccineGroup"), seriesType,
                list(text(s, "equivalentSeriesGroups")), genders, yes(text(select, "defaultSeries")),
                yes(text(select, "productPath")), text(select, "seriesGroup"),
                priority == null ? 'Z' : priority.charAt(0), preference == null ? 99 : Integer.parseInt(preference),
                age(select, "minAgeToStart"), age(select, "maxAgeToStart"), indications,
                children(s, "seriesDose").stream().map(this::seriesDose).toList());
    }

    private SeriesDose seriesDose(Element d) {
        List<Age> ages = children(d, "age").stream()
                .map(a -> new Age(age(a, "absMinAge"), age(a, "minAge"), age(a, "earliestRecAge"), age(a, "latestRecAge"),
                        age(a, "maxAge"), period(a)))
                .toList();
        List<Interval> intervals = children(d, "interval").stream().map(this::interval).filter(i -> i != null).toList();
        List<Interval> allowable = children(d, "allowableInterval").stream().map(this::interval)
                .filter(i -> i != null).toList();
        Element season = child(d, "seasonalRecommendation");
        return new SeriesDose(Integer.parseInt(text(d, "doseNumber").replaceAll("\\D", "")), ages, intervals, allowable,
                vaccines(d, "preferableVaccine"), vaccines(d, "allowableVaccine"),
                children(d, "inadvertentVaccine").stream().map(v -> text(v, "cvx")).filter(c -> c != null)
                        .collect(Collectors.toUnmodifiableSet()),
                children(d, "conditionalSkip").stream().map(this::skip).filter(k -> k != null).toList(), yes(text(d, "recurringDose")),
                season == null ? null : date(text(season, "startDate")), season == null ? null : date(text(season, "endDate")));
    }

    private Interval interval(Element i) {
        String fromTarget = text(i, "fromTargetDose");
        Element obs = child(i, "fromRelevantObs");
        Interval interval = new Interval(yes(text(i, "fromPrevious")),
                fromTarget == null || !fromTarget.matches("\\d+") ? null : Integer.valueOf(fromTarget),
                list(text(i, "fromMostRecent")), obs == null ? null : text(obs, "code"),
                age(i, "absMinInt"), age(i, "minInt"), age(i, "earliestRecInt"), age(i, "latestRecInt"),
                text(i, "intervalPriority") != null, period(i));
        boolean hasReference = interval.fromPrevious() || interval.fromTargetDose() != null
                || !interval.fromMostRecent().isEmpty() || interval.fromObservation() != null;
        return hasReference ? interval : null;
    }

    private List<Vaccine> vaccines(Element d, String name) {
        return children(d, name).stream().filter(v -> text(v, "cvx") != null)
                .map(v -> new Vaccine(text(v, "cvx"), age(v, "beginAge"), age(v, "endAge"), text(v, "mvx"),
                        yes(text(v, "forecastVaccineType"))))
                .toList();
    }

    private Skip skip(Element s) {
        String context = s == null ? null : text(s, "context");
        if (context == null) {
            return null;
        }
        List<SkipSet> sets = children(s, "set").stream()
                .map(set -> new SkipSet(text(set, "setDescription"), period(set), "OR".equalsIgnoreCase(text(set, "conditionLogic")),
                        children(set, "condition").stream().map(this::condition).toList()))
                .toList();
        return new Skip(SkipContext.valueOf(context.toUpperCase(Locale.ROOT)), "OR".equalsIgnoreCase(text(s, "setLogic")),
                sets);
    }

    private SkipCondition condition(Element c) {
        String type = text(c, "conditionType").toLowerCase(Locale.ROOT);
        ConditionType conditionType = type.startsWith("vaccine count") ? ConditionType.VACCINE_COUNT
                : type.startsWith("completed") ? ConditionType.COMPLETED_SERIES
                : type.equals("interval") ? ConditionType.INTERVAL : ConditionType.AGE;
        String logic = text(c, "doseCountLogic");
        CountLogic countLogic = logic == null ? CountLogic.GREATER_THAN
                : CountLogic.valueOf(logic.trim().toUpperCase(Locale.ROOT).replace(' ', '_'));
        String count = text(c, "doseCount");
        return new SkipCondition(conditionType, date(text(c, "startDate")), date(text(c, "endDate")),
                age(c, "beginAge"), age(c, "endAge"), age(c, "interval"),
                count == null ? 0 : Integer.parseInt(count), "valid".equalsIgnoreCase(text(c, "doseType")), countLogic,
                list(text(c, "vaccineTypes")), list(text(c, "seriesGroups")));
    }

    private Period period(Element e) {
        LocalDate effective = date(text(e, "effectiveDate"));
        LocalDate cessation = date(text(e, "cessationDate"));
        return effective == null && cessation == null ? Period.ALWAYS : new Period(effective, cessation);
    }

    /**
     * CDC names each antigen's file after the antigen ("AntigenSupportingData- HepB-508.xml"),
     * except that some two-word antigens go by their initials ("Japanese Encephalitis" is "JE").
     */
    private Element parseAntigen(String antigen) {
        String fileName = "AntigenSupportingData- " + antigen + "-508.xml";
        try {
            opener.open(fileName).close();
        } catch (IOException missing) {
            String initials = Arrays.stream(antigen.split("\\s+")).map(w -> w.substring(0, 1)).collect(Collectors.joining());
            fileName = "AntigenSupportingData- " + initials + "-508.xml";
        }
        return parse(fileName);
    }

    private Element parse(String fileName) {
        try (InputStream in = opener.open(fileName)) {
            return builder.parse(in).getDocumentElement();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CDSi supporting data " + fileName, e);
        } catch (SAXException e) {
            throw new IllegalStateException("CDSi supporting data " + fileName + " is not well-formed XML", e);
        }
    }

    private static Offset age(Element e, String name) {
        return Offset.parse(text(e, name));
    }

    private static boolean yes(String value) {
        return value != null && (value.equalsIgnoreCase("Yes") || value.equalsIgnoreCase("Y"));
    }

    private static Set<String> list(String value) {
        if (value == null || value.equalsIgnoreCase("n/a")) {
            return Set.of();
        }
        return Arrays.stream(value.split("[;,]")).map(String::trim).filter(v -> !v.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static LocalDate date(String value) {
        if (value == null || value.equalsIgnoreCase("n/a")) {
            return null;
        }
        return LocalDate.parse(value, value.contains("/") ? US : COMPACT);
    }

    /** Trimmed text of the named child, null when absent, empty or "n/a". */
    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return null;
        }
        String value = e.getTextContent().trim();
        return value.isEmpty() || value.equalsIgnoreCase("n/a") ? null : value;
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
