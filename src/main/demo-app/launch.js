// The standalone launch, with SMART's own client: discovery, PKCE and the authorization request are fhirclient's.
// The app's registered redirect is a loopback IP address (any port), as for a native app: opened as localhost,
// the page moves to 127.0.0.1, which is also another origin than the server's, so every call is a CORS call.
if (location.hostname === "localhost") {
  location.replace(location.href.replace("//localhost", "//127.0.0.1"));
}

const iss = document.getElementById("iss");
iss.value = new URLSearchParams(location.search).get("iss") || `${location.protocol}//localhost:${location.port}/fhir`;

document.getElementById("launch").addEventListener("submit", (event) => {
  event.preventDefault();
  FHIR.oauth2.authorize({
    iss: iss.value,
    clientId: "demo-consumer-app",
    scope: "launch/patient openid fhirUser offline_access patient/*.rs",
    redirectUri: "record.html"
  });
});
