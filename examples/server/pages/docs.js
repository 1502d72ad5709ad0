// Swagger UI over the server's own OpenAPI document. validatorUrl null: Swagger UI would otherwise
// send the document to validator.swagger.io (the Content-Security-Policy would block it anyway).
'use strict';
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  persistAuthorization: false,
});
