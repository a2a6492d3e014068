"""The shared kernel of the Maalem apps: settings, encryption, phone numbers, SMS, rate limits,
permissions and after-commit signals. Every app may import it; it imports none of them."""
