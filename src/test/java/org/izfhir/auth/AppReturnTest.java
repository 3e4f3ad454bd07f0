package org.izfhir.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** The way back to an app on Cancel, the consent page's words, and the pages' colour check. */
class AppReturnTest {

    private static final RegisteredClient APP = RegisteredClient.withId("1").clientId("app")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .redirectUri("http://127.0.0.1/callback").redirectUri("https://app.example/back?x=1").build();

    @Test
    void whenTheRedirectIsRegisteredThenCancelReturnsAccessDeniedWithTheStateEncoded() {
        assertThat(AppReturn.denied(APP, "https://app.example/back?x=1", "a b&c"))
                .isEqualTo("https://app.example/back?x=1&error=access_denied&state=a%20b%26c");
        assertThat(AppReturn.denied(APP, "http://127.0.0.1:49152/callback", "s"))
                .as("a loopback IP address, any port").isEqualTo("http://127.0.0.1:49152/callback?error=access_denied&state=s");
    }

    @Test
    void whenTheRedirectIsNotExactlyRegisteredThenThereIsNoWayBack() {
        for (String elsewhere : new String[] {"https://app.example/back", "https://app.example/back?x=1#f",
                "https://evil.example/back?x=1", "http://localhost:8080/callback", "http://127.0.0.1:1/callback/../x",
                "http://127.0.0.1:1/other", "https://127.0.0.1/callback", "not a uri", ""}) {
            assertThat(AppReturn.denied(APP, elsewhere, "s")).as(elsewhere).isNull();
        }
        assertThat(AppReturn.denied(null, "http://127.0.0.1/callback", "s")).isNull();
        assertThat(AppReturn.denied(APP, null, "s")).as("two registered: which one is unknown").isNull();
    }

    @Test
    void whenScopesAreShownThenInWordsAndLifetimesSpoken() {
        assertThat(ConsentPage.words("patient/Immunization.rs")).isEqualTo("Vaccinations given");
        assertThat(ConsentPage.words("patient/Immunization.cruds")).startsWith("Add and change: ");
        assertThat(ConsentPage.words("patient/*.read")).startsWith("The whole immunization record");
        assertThat(ConsentPage.words("offline_access")).isNull();
        assertThat(ConsentPage.words("<b>odd</b>")).isEqualTo("Access named \"<b>odd</b>\""); // escaped by the page
        assertThat(ConsentPage.spoken(Duration.ofDays(30))).isEqualTo("30 days");
        assertThat(ConsentPage.spoken(Duration.ofHours(1))).isEqualTo("1 hour");
        assertThat(ConsentPage.spoken(Duration.ofMinutes(90))).isEqualTo("90 minutes");
    }

    @Test
    void whenTheAccentIsTooLightForWhiteTextThenTheServerDoesNotStart() {
        assertThat(new PageProperties("A state", "", "#1D4F91", "", "Help").accent()).isEqualTo("#1d4f91");
        assertThatThrownBy(() -> new PageProperties("A state", "", "#ffcc00", "", "Help"))
                .hasMessageContaining("contrast").hasMessageContaining("4.5:1");
        assertThatThrownBy(() -> new PageProperties("A state", "", "red; background: url(x)", "", "Help"))
                .hasMessageContaining("#rrggbb");
        assertThatThrownBy(() -> new PageProperties("A state", "https://cdn.example/logo.png", "#1d4f91", "", "Help"))
                .hasMessageContaining("path on this server");
    }
}
