package org.izfhir.registry.soap;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The three SOAP 1.2 services registries are reached by, with the SOAP actions their WSDLs
 * ({@code src/main/resources/wsdl/}) bind to each operation.
 */
public enum Transport {

    /** CDC IIS web service 2011: {@code submitSingleMessage}, {@code connectivityTest}. */
    CDC_2011("cdc-2011", "urn:cdc:iisb:2011",
            "urn:cdc:iisb:2011:submitSingleMessage", "urn:cdc:iisb:2011:connectivityTest"),
    /** CDC IIS web service 2014: {@code SubmitSingleMessageRequest}, {@code ConnectivityTestRequest}. */
    CDC_2014("cdc-2014", "urn:cdc:iisb:2014",
            "urn:cdc:iisb:2014:IISPortType:SubmitSingleMessageRequest",
            "urn:cdc:iisb:2014:IISPortType:ConnectivityTestRequest"),
    /** The CDC IZ Gateway hub: the 2014 payloads with a {@code HubRequestHeader} naming the destination. */
    IZGW_HUB("izgw-hub", "urn:cdc:iisb:hub:2014",
            "urn:cdc:iisb:hub:2014:IISHubPortType:SubmitSingleMessageRequest",
            "urn:cdc:iisb:hub:2014:IISHubPortType:ConnectivityTestRequest");

    private final String configName;
    private final String wsdlNamespace;
    private final String submitAction;
    private final String connectivityTestAction;

    Transport(String configName, String wsdlNamespace, String submitAction, String connectivityTestAction) {
        this.configName = configName;
        this.wsdlNamespace = wsdlNamespace;
        this.submitAction = submitAction;
        this.connectivityTestAction = connectivityTestAction;
    }

    /** The name used in {@code registries.yaml}: cdc-2011, cdc-2014 or izgw-hub. */
    public String configName() {
        return configName;
    }

    /** The target namespace of this transport's WSDL. */
    public String wsdlNamespace() {
        return wsdlNamespace;
    }

    public String action(Operation operation) {
        return operation == Operation.SUBMIT_SINGLE_MESSAGE ? submitAction : connectivityTestAction;
    }

    public static Optional<Transport> fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.configName.equals(wanted)).findFirst();
    }

    /** The two operations every transport offers. */
    public enum Operation {
        SUBMIT_SINGLE_MESSAGE,
        CONNECTIVITY_TEST
    }
}
