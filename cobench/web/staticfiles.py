"""Static file storage: whitenoise's hashed, compressed manifest, lenient for one vendor.

The JSME editor's GWT stylesheets (vendor/jsme/gwt/) name images its npm package leaves
out (themes it never uses); those references keep their plain URL instead of failing
collectstatic. Everywhere else a CSS reference to a missing file still fails the build.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

LENIENT = "vendor/jsme/"


class StaticStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)
        if not name.startswith(LENIENT):
            return convert

        def keep_missing(matchobj):
            try:
                return convert(matchobj)
            except ValueError:  # the referenced file is not in the package
                return matchobj.group(0)

        return keep_missing
