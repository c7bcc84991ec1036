package io.chukei.gateway.node;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system's chromium, headless, driven through the system's chromedriver: both paths are given to
 * Selenium, so Selenium Manager never looks for (or downloads) a browser or a driver. Missing either is
 * a failure that names the Debian packages, never a skipped test.
 */
final class Browser implements AutoCloseable
{
    static final String CHROMIUM = System.getProperty("chukei.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chukei.chromedriver", "/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(final ChromeDriverService service, final ChromeDriver driver)
    {
        this.service = service;
        this.driver = driver;
    }

    /** A browser presenting {@code certificate} (its HOME and profile) to the admin listeners on 127.0.0.1. */
    static Browser open(final BrowserCertificate certificate)
    {
        assertThat(Path.of(CHROMIUM)).as("chromium at %s (system property chukei.chromium): the status page test needs " +
            "Debian's browser; install it with `apt-get install -y chromium chromium-driver`", CHROMIUM).isExecutable();
        assertThat(Path.of(CHROMEDRIVER)).as("chromedriver at %s (system property chukei.chromedriver): install it with " +
            "`apt-get install -y chromium-driver`", CHROMEDRIVER).isExecutable();
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            // chromedriver passes its environment on: chromium finds the NSS database in HOME/.pki/nssdb.
            .withEnvironment(java.util.Map.of("HOME", certificate.home().toString()))
            .build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1480,1300", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
            "--user-data-dir=" + certificate.userDataDir());
        return new Browser(service, new ChromeDriver(service, options));
    }

    ChromeDriver driver()
    {
        return driver;
    }

    /** A PNG of the visible page, written to {@code file}. */
    Path screenshot(final Path file) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close()
    {
        try
        {
            driver.quit();
        }
        finally
        {
            service.stop();
        }
    }
}
