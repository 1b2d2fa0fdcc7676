/** HTTP client ({@code HttpSession}) and server ({@code WebApp}) patterns for Weft. */
package dev.weft.http;
