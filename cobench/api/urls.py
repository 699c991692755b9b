from ninja import NinjaAPI

api = NinjaAPI(title="cobench", version="1")
