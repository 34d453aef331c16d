using Microsoft.AspNetCore.Mvc.RazorPages;
using SmsHall.Core.Catalogue;

namespace SmsHall.OperatorConsole.Pages;

public sealed class IndexModel(LiveCatalogue live) : PageModel
{
    public long? CatalogueVersion { get; private set; }

    public void OnGet() => CatalogueVersion = live.Current.Version;
}
