/** Build-time corrections of the CRDs the Fabric8 generator writes (run by the api module's build). */
package dev.voicebridge.api.crd;
